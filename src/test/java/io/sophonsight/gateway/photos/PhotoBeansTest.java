package io.sophonsight.gateway.photos;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import io.sophonsight.gateway.GatewayTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The photo download's beans without a platform: the allow-list, safe cache file names, the
 * envelope variants a platform may answer with, and magic-byte content types.
 * The flow is proven against the simulator in {@link PhotoDownloadTest}.
 */
class PhotoBeansTest {

    private static final Path FOLDER = GatewayTestSupport.freshFolder("photo-beans");
    private static final String PERMISSIVE = ".*";

    private final PhotoContent content = new PhotoContent();

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "..", "a/b", "a\\b", "/abs.jpg", "C:\\x.jpg", "x\u0000y", "..\\..\\db"})
    void cacheFileOfAnyIdStaysInsideTheFolder(String hostileId) throws Exception {
        // Given a cache whose allow-list an operator made permissive
        PhotoCache cache = new PhotoCache(FOLDER.toString(), PERMISSIVE);

        // Then even a hostile id maps to a 64-hex-digit name directly inside the folder
        Path file = cache.file(hostileId);
        assertThat(file.getParent()).isEqualTo(FOLDER.toAbsolutePath().normalize());
        assertThat(file.getFileName().toString()).matches("[0-9a-f]{64}\\.photo");

        // And the guard still refuses ids with separators or '..' whatever the pattern says
        if (hostileId.contains("..") || hostileId.contains("/") || hostileId.contains("\\")) {
            assertThatThrownBy(() -> cache.validate(hostileId)).isInstanceOf(InvalidPhotoIdException.class);
        }
    }

    @Test
    void idsDifferingInCaseAreCachedApart() {
        assertThat(PhotoCache.fileName("abc.jpg")).isNotEqualTo(PhotoCache.fileName("ABC.jpg"));
    }

    @Test
    void storedPhotoIsFoundAgainAndNoPartFileRemains() throws Exception {
        // Given a downloaded photo stored in the cache
        PhotoCache cache = new PhotoCache(FOLDER.resolve("store").toString(), "[a-z0-9.]{1,20}");
        cache.store("a1.jpg", PhotoDownloadTest.JPEG);

        // When it is looked up
        byte[] found = cache.lookup("a1.jpg");

        // Then it is a hit with the same bytes, an unknown id a miss, and only the photo file is in the folder
        assertThat(found).isEqualTo(PhotoDownloadTest.JPEG);
        assertThat(cache.lookup("a2.jpg")).isNull();
        try (var files = Files.list(FOLDER.resolve("store"))) {
            assertThat(files).singleElement().satisfies(f -> assertThat(f.getFileName().toString()).endsWith(".photo"));
        }
    }

    @Test
    void envelopeVariantsAllYieldTheImage() {
        String base64 = Base64.getEncoder().encodeToString(PhotoDownloadTest.PNG);
        String wrapped = Base64.getMimeEncoder(8, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(PhotoDownloadTest.PNG);
        for (Object data : new Object[] {
                Map.of("photoId", "p.png", "photoByteStr", base64),
                Map.of("base64", wrapped),
                Map.of("image", "data:image/png;base64," + base64),
                base64,
                PhotoDownloadTest.PNG}) {
            assertThat(content.fromPlatformAnswer(data).bytes()).as("data %s", data).isEqualTo(PhotoDownloadTest.PNG);
        }
    }

    @Test
    void envelopeDeclaredTypeIsUsedOnlyWhenTheBytesAreUnknown() {
        // Given an envelope that declares image/tiff for bytes no magic number recognises
        byte[] tiff = {'I', 'I', 42, 0, 8, 0};
        PhotoContent.PlatformImage image = content.fromPlatformAnswer(
                Map.of("photoByteStr", Base64.getEncoder().encodeToString(tiff), "contentType", "image/TIFF"));

        // When the answer's type is chosen
        String type = PhotoContent.contentType(image.bytes(), image.declaredType(), "scan");

        // Then the declared type is answered
        assertThat(type).isEqualTo("image/tiff");
    }

    @Test
    void answersWithoutAUsableImageAreRefused() {
        assertThatThrownBy(() -> content.fromPlatformAnswer(Map.of("photoId", "p")))
                .isInstanceOf(PhotoAnswerException.class).hasMessageContaining("photoByteStr");
        assertThatThrownBy(() -> content.fromPlatformAnswer(Map.of("photoByteStr", "not base64!")))
                .isInstanceOf(PhotoAnswerException.class);
        assertThatThrownBy(() -> content.fromPlatformAnswer(new byte[0]))
                .isInstanceOf(PhotoAnswerException.class);
        assertThatThrownBy(() -> content.fromPlatformAnswer(null))
                .isInstanceOf(PhotoAnswerException.class);
    }

    @Test
    void contentTypeFromMagicBytesThenNameThenOctetStream() {
        assertThat(PhotoContent.contentType(PhotoDownloadTest.JPEG, null, "x.png")).isEqualTo("image/jpeg");
        assertThat(PhotoContent.contentType("GIF89a...".getBytes(StandardCharsets.US_ASCII), null, "x")).isEqualTo("image/gif");
        assertThat(PhotoContent.contentType("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII), null, "x")).isEqualTo("image/webp");
        assertThat(PhotoContent.contentType("BM0123456789abcdef".getBytes(StandardCharsets.US_ASCII), null, "x")).isEqualTo("image/bmp");
        assertThat(PhotoContent.contentType(new byte[] {1, 2, 3}, null, "x.PNG")).isEqualTo("image/png");
        assertThat(PhotoContent.contentType(new byte[] {1, 2, 3}, null, "x")).isEqualTo("application/octet-stream");
    }
}
