package io.sophonsight.gateway.operations;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The top-level {@code gateway.*} keys; the sections below them have their own classes ({@code gateway.api}:
 * ApiProperties, {@code gateway.http}: HttpProperties, {@code gateway.console}: ConsoleProperties,
 * {@code gateway.dev.reload}: DevReloadProperties).
 *
 * @param dataDir Folder for H2 files, photos and exports; must be writable and persistent in production
 * @param logFormat Console log format: text (Spring Boot's layout) or json (one ECS JSON object per line); read before
 *                  the context starts (LogFormatEnvironmentPostProcessor checks it), bound here for its metadata
 */
@Validated
@ConfigurationProperties("gateway")
public record GatewayProperties(
        @NotBlank @DefaultValue("./data") String dataDir,
        @DefaultValue("text") String logFormat) {
}
