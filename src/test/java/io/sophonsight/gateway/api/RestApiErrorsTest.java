package io.sophonsight.gateway.api;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors the web layer answers before any REST route runs (a media type an operation does not take, a verb it
 * does not serve) are problem answers like the routes' own (docs/rest-api.md), never an HTML page or a stack trace.
 */
class RestApiErrorsTest extends GatewayTestSupport {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void registrationInAMediaTypeTheOperationDoesNotTakeIs415Problem() throws Exception {
        // When a visitor is posted as plain text (the operation consumes JSON or multipart/form-data)
        HttpResponse<String> answer = send(apiRequest("/api/visitors").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("name=Ada")));

        // Then 415 as a problem
        assertProblem(answer, 415);
    }

    @Test
    void verbTheApiDoesNotServeIs405Problem() throws Exception {
        // When a client deletes the device list (only GET is served)
        HttpResponse<String> answer = send(apiRequest("/api/devices").DELETE());

        // Then 405 as a problem
        assertProblem(answer, 405);
    }

    private void assertProblem(HttpResponse<String> answer, int status) throws Exception {
        assertThat(answer.statusCode()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        Map<?, ?> problem = mapper.readValue(answer.body(), Map.class);
        assertThat(problem.get("status")).isEqualTo(status);
        assertThat(problem.get("title")).isNotNull();
        assertThat(answer.body()).doesNotContain("Exception", "at io.", "at org.");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
