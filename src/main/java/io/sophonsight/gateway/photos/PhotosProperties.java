package io.sophonsight.gateway.photos;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code photos.*} keys Java reads: the photo download's id allow-list, cache folder and caching answer.
 *
 * @param idPattern Allow-list a photoId must match before it is used at all (the platform's ids: letters, digits, '.',
 *                  '_', '-')
 * @param cacheDir Folder of downloaded photos; a cached photo is served without calling the platform
 * @param cacheControl Cache-Control of photo answers: faces are personal data, so browsers may keep them privately only
 */
@Validated
@ConfigurationProperties("photos")
public record PhotosProperties(
        @NotBlank @DefaultValue("[A-Za-z0-9][A-Za-z0-9._-]{0,127}") String idPattern,
        @NotBlank @DefaultValue("./data/photos/cache") String cacheDir,
        @NotBlank @DefaultValue("private, max-age=3600") String cacheControl) {
}
