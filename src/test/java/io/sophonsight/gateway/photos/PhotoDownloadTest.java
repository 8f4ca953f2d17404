package io.sophonsight.gateway.photos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.simulator.SimulatorFaults;
import io.sophonsight.gateway.sophonsight.SophonSightSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/photos/{photoId}} ({@code routes/photo-download.camel.yaml}) against the simulator
 * over real HTTP: hit, miss, cache, bad ids, both answer styles of pic/download, platform down.
 */
class PhotoDownloadTest extends GatewayTestSupport {

    private static final String DOWNLOAD = "/openapi/v1/pic/download";
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R', 9, 8, 7};

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    private ObjectMapper mapper;

    @AfterEach
    void imageStreamStyleAgain() {
        simulator.setPhotoDownloadAsEnvelope(false);
    }

    /** Uploads a photo to the platform the way a flow does, and returns the platform's photoId. */
    private String upload(String photoName, byte[] bytes) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("photoName", photoName);
        fields.put("photoByteStr", Base64.getEncoder().encodeToString(bytes));
        Map<?, ?> data = producer.requestBodyAndHeader("direct:sophonsight-call", fields,
                SophonSightSigner.PATH_HEADER, "/openapi/v1/pic/upload", Map.class);
        return (String) data.get("photoId");
    }

    private HttpResponse<byte[]> get(String photoId) throws Exception {
        return http.send(apiRequest("/api/photos/" + photoId)
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The answer is the photo: status 200, exactly these bytes, this content type, served as a cache HIT or MISS. */
    private static void assertPhoto(HttpResponse<byte[]> response, byte[] bytes, String contentType, String cache) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(contentType);
        assertThat(response.headers().firstValue("X-Photo-Cache")).hasValue(cache);
    }

    private JsonNode json(HttpResponse<byte[]> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        return mapper.readTree(response.body());
    }

    /**
     * Both answer styles of pic/download (docs/sophonsight-openapi.md §3.2): the image stream, and a JSON envelope with
     * base64 in {@code data.photoByteStr}. The content type follows the image's bytes, not its name.
     */
    @ParameterizedTest(name = "{0} uploaded as {1}, envelope style {2} -> {3}")
    @CsvSource({
            "JPEG, face.jpg,        false, image/jpeg",
            "PNG,  mislabelled.jpg, false, image/png",
            "PNG,  visitor.png,     true,  image/png",
            "JPEG, badge.jpg,       true,  image/jpeg"})
    void knownPhotoIsDownloadedWithItsBytesAndContentType(String format, String photoName, boolean envelopeStyle,
                                                          String contentType) throws Exception {
        // Given a photo on the platform, which answers downloads as an image stream or as a base64 envelope
        byte[] bytes = "PNG".equals(format) ? PNG : JPEG;
        simulator.setPhotoDownloadAsEnvelope(envelopeStyle);
        String photoId = upload(photoName, bytes);

        // When it is requested
        HttpResponse<byte[]> response = get(photoId);

        // Then the gateway answers exactly the image, typed by its magic bytes, fetched once from the platform
        assertPhoto(response, bytes, contentType, "MISS");
        assertThat(simulator.state().calls(DOWNLOAD)).isEqualTo(1);
    }

    @Test
    void secondRequestIsServedFromTheCacheWithoutCallingThePlatform() throws Exception {
        // Given a photo requested once
        String photoId = upload("face.png", PNG);
        get(photoId);

        // When it is requested again
        HttpResponse<byte[]> again = get(photoId);

        // Then the same bytes and type come from the cache folder, and the platform was called only once
        assertPhoto(again, PNG, "image/png", "HIT");
        assertThat(simulator.state().calls(DOWNLOAD)).isEqualTo(1);
        Path cached = DATA_DIR.resolve("photos/cache").resolve(PhotoCache.fileName(photoId));
        assertThat(cached).exists().hasBinaryContent(PNG);
    }

    @Test
    void unknownPhotoAnswers404WithAProblemNamingThePlatformsReason() throws Exception {
        // Given a photoId the platform does not know
        // When it is requested
        HttpResponse<byte[]> response = get("0123456789abcdef.jpg");

        // Then 404 as a problem with the platform's reason, and nothing is cached
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode body = json(response);
        assertThat(body.path("type").asText()).isEqualTo("urn:sophonsight-gateway:problem:not-found");
        assertThat(body.path("status").asInt()).isEqualTo(404);
        assertThat(body.path("detail").asText()).contains("photo not found: 0123456789abcdef.jpg");
        assertThat(DATA_DIR.resolve("photos/cache").resolve(PhotoCache.fileName("0123456789abcdef.jpg"))).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "..jpg", "-leading-dash.jpg", "bad$id", "%C3%A9t%C3%A9.jpg", "photo~1.jpg",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void photoIdOutsideTheAllowListAnswers400AndNeverReachesThePlatform(String photoId) throws Exception {
        // Given a photoId with path tricks, odd characters or over 128 characters
        // When it is requested
        HttpResponse<byte[]> response = get(photoId);

        // Then 400 with a problem whose reason does not echo the id, and the platform is not called
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.path("type").asText()).isEqualTo("urn:sophonsight-gateway:problem:invalid-input");
        assertThat(body.path("detail").asText()).startsWith("photoId ").doesNotContain(photoId);
        assertThat(simulator.state().calls(DOWNLOAD)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"..%2F..%2Fdb%2Fgateway.mv.db", "..%5C..%5Cdb%5Cgateway.mv.db", "%2e%2e", "a%00b"})
    void encodedSeparatorsAndDotsNeverServeAFile(String photoId) throws Exception {
        // Given a traversal attempt with encoded separators, dots or a NUL
        // When it is requested
        HttpResponse<byte[]> response = get(photoId);

        // Then it is refused (by the web server or the allow-list) before any file or platform call
        assertThat(response.statusCode()).isBetween(400, 404);
        assertThat(simulator.state().calls(DOWNLOAD)).isZero();
    }

    @Test
    void platformUnavailableAnswers503AndCachesNothing() throws Exception {
        // Given a photo on a platform that fails every download (through all retries)
        String photoId = upload("face.jpg", JPEG);
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, DOWNLOAD, 0, -1, 503, 0,
                null, 0, null, null));

        // When it is requested
        HttpResponse<byte[]> response = get(photoId);

        // Then 503 with a problem saying to try later
        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode body = json(response);
        assertThat(body.path("type").asText()).isEqualTo("urn:sophonsight-gateway:problem:platform-unavailable");
        assertThat(body.path("detail").asText()).contains("try again later");

        // When the platform is back
        simulator.faults().clear();
        HttpResponse<byte[]> later = get(photoId);

        // Then the photo is fetched (the failure left nothing in the cache)
        assertPhoto(later, JPEG, "image/jpeg", "MISS");
    }

    @Test
    void requestHeadersAndQueryParametersCannotForgeACacheHit() throws Exception {
        // Given a photo never downloaded
        String photoId = upload("face.jpg", JPEG);

        // When a client sends PhotoCache=HIT as query parameter and header
        HttpResponse<byte[]> response = http.send(apiRequest("/api/photos/" + photoId + "?PhotoCache=HIT&SophonSightPath=/openapi/v1/syncuser/delete")
                .header("PhotoCache", "HIT").timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());

        // Then the photo is still downloaded from the platform, through pic/download only
        assertPhoto(response, JPEG, "image/jpeg", "MISS");
        assertThat(simulator.state().calls(DOWNLOAD)).isEqualTo(1);
        assertThat(simulator.state().calls("/openapi/v1/syncuser/delete")).isZero();
        assertThat(Files.exists(DATA_DIR.resolve("photos/cache").resolve(PhotoCache.fileName(photoId)))).isTrue();
    }
}
