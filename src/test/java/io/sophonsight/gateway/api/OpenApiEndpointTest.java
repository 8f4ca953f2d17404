package io.sophonsight.gateway.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.tooling.OpenApiDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running gateway serves the REST API's OpenAPI document on the API port, behind the API key like every
 * other API path, and it is the checked-in docs/openapi.json (apart from {@code servers}, which names the gateway
 * as the caller reached it).
 */
class OpenApiEndpointTest extends GatewayTestSupport {

    private static final String PATH = "/api/openapi.json";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void servedDocumentIsTheCheckedInOne() throws Exception {
        // When a client holding the API key asks for the document
        HttpResponse<String> answer = http.send(apiRequest(PATH).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        // Then it is served as JSON, and is docs/openapi.json
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode served = mapper.readTree(answer.body());
        JsonNode checkedIn = mapper.readTree(Files.readString(Path.of(OpenApiDocument.DOCUMENT)));
        assertThat(OpenApiDocument.comparable(served)).isEqualTo(OpenApiDocument.comparable(checkedIn));
    }

    @Test
    void documentIsNotServedWithoutAKey() throws Exception {
        // When a client without a key asks for the document
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl(PATH)))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());

        // Then 401, and nothing of the API's description is given away
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).doesNotContain("openapi", "/api/visitors");
    }

    @Test
    void documentRequestWithABodyIsRefusedBeforeItIsRead() throws Exception {
        // When a client with the key sends a body to the document's path (it takes none)
        HttpResponse<String> answer = http.send(apiRequest(PATH).timeout(Duration.ofSeconds(30))
                .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(1024))).build(),
                HttpResponse.BodyHandlers.ofString());

        // Then 413 from the request guard
        assertThat(answer.statusCode()).isEqualTo(413);
    }
}
