package io.sophonsight.gateway.photos;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.simulator.SimulatorReadings.DownloadContentType;
import io.sophonsight.gateway.sophonsight.SophonSightSigner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pic/download answers "a file stream" with no documented content type (issue 15): the gateway serves
 * the photo whenever the bytes are an image, whatever the platform declared (image/*, text/plain, none),
 * and answers a clear 502 when they are not, without retrying.
 */
class PhotoDownloadContentTypeTest extends GatewayTestSupport {

    private static final String DOWNLOAD = "/openapi/v1/pic/download";

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    private ObjectMapper mapper;

    @ParameterizedTest(name = "declared {0}")
    @EnumSource(DownloadContentType.class)
    void anImageIsServedWhateverContentTypeThePlatformDeclares(DownloadContentType declared) throws Exception {
        // Given a platform that answers downloads as image/*, text/plain, or without a content type
        simulator.readings().downloadContentType(declared);
        String jpeg = upload("face.jpg", PhotoDownloadTest.JPEG);
        String png = upload("face.png", PhotoDownloadTest.PNG);

        // When the photos are requested
        HttpResponse<byte[]> jpegAnswer = get(jpeg);
        HttpResponse<byte[]> pngAnswer = get(png);

        // Then each is served at the first attempt, typed by its bytes
        assertThat(jpegAnswer.statusCode()).isEqualTo(200);
        assertThat(jpegAnswer.body()).isEqualTo(PhotoDownloadTest.JPEG);
        assertThat(jpegAnswer.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(pngAnswer.statusCode()).isEqualTo(200);
        assertThat(pngAnswer.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(simulator.state().calls(DOWNLOAD)).isEqualTo(2);
    }

    @ParameterizedTest(name = "declared {0}")
    @EnumSource(DownloadContentType.class)
    void bytesThatAreNotAnImageAnswer502WithTheReasonAndAreNotRetried(DownloadContentType declared) throws Exception {
        // Given a platform whose download answers text that is neither an image nor the JSON envelope
        simulator.readings().downloadContentType(declared);
        String photoId = upload("note.jpg", "plain words, not a picture".getBytes(StandardCharsets.UTF_8));

        // When the photo is requested
        HttpResponse<byte[]> answer = get(photoId);

        // Then the gateway answers 502 and says why, after one call (not an outage: no retry)
        assertThat(answer.statusCode()).isEqualTo(502);
        JsonNode body = mapper.readTree(answer.body());
        assertThat(body.path("title").asText()).isEqualTo("Bad answer from the platform");
        assertThat(body.path("status").asInt()).isEqualTo(502);
        assertThat(body.path("detail").asText()).contains("neither the JSON envelope nor an image");
        assertThat(simulator.state().calls(DOWNLOAD)).isEqualTo(1);
    }

    private String upload(String photoName, byte[] bytes) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("photoName", photoName);
        fields.put("photoByteStr", Base64.getEncoder().encodeToString(bytes));
        Map<?, ?> data = producer.requestBodyAndHeader("direct:sophonsight-call", fields,
                SophonSightSigner.PATH_HEADER, "/openapi/v1/pic/upload", Map.class);
        return (String) data.get("photoId");
    }

    private HttpResponse<byte[]> get(String photoId) throws Exception {
        return http.send(apiRequest("/api/photos/" + photoId).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
