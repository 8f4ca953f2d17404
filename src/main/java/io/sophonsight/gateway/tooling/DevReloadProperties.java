package io.sophonsight.gateway.tooling;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code gateway.dev.reload.*} keys of the dev profile: live reload of the flow files.
 *
 * @param enabled Watch routes/ and reload a flow when its file is saved; a broken file is reported with the nearest
 *                valid field
 * @param directory Folder watched for changes, relative to the working directory
 * @param pattern Files whose changes trigger a reload (only the routes of the changed file are reloaded)
 */
@Validated
@ConfigurationProperties("gateway.dev.reload")
public record DevReloadProperties(
        @DefaultValue("false") boolean enabled,
        @NotBlank @DefaultValue("routes") String directory,
        @NotBlank @DefaultValue("*.camel.yaml") String pattern) {
}
