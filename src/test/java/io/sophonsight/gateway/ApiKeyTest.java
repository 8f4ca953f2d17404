package io.sophonsight.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The REST API key ({@code GATEWAY_API_KEY}): what a client without it gets, how it sends it, and what stays
 * open (push receivers with their own key); the actuator lives on the management port.
 */
class ApiKeyTest extends GatewayTestSupport {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void requestWithoutTheKeyIsRefusedWith401AndAJsonReason() throws Exception {
        // Given the gateway with GATEWAY_API_KEY set
        // When a client calls the REST API without a key
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(gatewayUrl("/api/devices"))));

        // Then 401, with the reason as JSON and the scheme to use
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(answer.body()).contains("\"status\":401").contains("missing API key");
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void wrongKeyIsRefusedAndNothingRuns() throws Exception {
        // Given no HR sync has been asked for
        int runsBefore = simulator.state().people().size();

        // When a client starts an HR sync with a wrong key
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(gatewayUrl("/api/hr-sync/run?mode=full")))
                .header("Authorization", "Bearer not-the-key").POST(HttpRequest.BodyPublishers.noBody()));

        // Then 401, and the platform saw nothing
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("wrong API key");
        assertThat(simulator.state().people()).hasSize(runsBefore);
    }

    @Test
    void keyIsAcceptedAsBearerTokenOrAsXApiKeyHeader() throws Exception {
        // When a client sends the key either way, Then the API answers
        assertThat(send(apiRequest("/api/devices")).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(URI.create(gatewayUrl("/api/devices")))
                .header("X-Api-Key", API_KEY)).statusCode()).isEqualTo(200);
    }

    @Test
    void probesAnswerWithoutAKeyOnTheManagementPortAndThePushPortServesNoActuator() throws Exception {
        // When Kubernetes probes the management port without any key, Then the actuator answers
        HttpResponse<String> readiness = send(HttpRequest.newBuilder(URI.create(managementUrl("/actuator/health/readiness"))));
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(managementPort).as("management port").isNotEqualTo(gatewayPort);

        // When anyone who reaches the push/API port asks for the actuator, with or without the API key,
        // Then no actuator endpoint answers there (no metrics, no health details, no cluster info)
        for (String path : List.of("/actuator/health/readiness", "/actuator/prometheus", "/actuator/info", "/actuator")) {
            for (HttpRequest.Builder request : List.of(HttpRequest.newBuilder(URI.create(gatewayUrl(path))), apiRequest(path))) {
                HttpResponse<String> answer = send(request);
                assertThat(answer.statusCode()).as(path + " on the push/API port").isIn(401, 404);
                assertThat(answer.body()).as(path + " on the push/API port").doesNotContain("\"UP\"", "jvm_memory", "cluster");
            }
        }
    }

    @Test
    void pushReceiversKeepTheirOwnKeyAndIgnoreTheApiKey() throws Exception {
        // When the platform pushes with the API key but no push key, Then the push receiver's own check answers
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(gatewayUrl("/sophonsight/access-records")))
                .header("Authorization", "Bearer " + API_KEY).POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("?key=");
    }

    @Test
    void withoutAKeyTheApiRunsOpenOnlyBesideTheBuiltInSimulator() throws Exception {
        // Given no GATEWAY_API_KEY
        // When the built-in simulator is off (a real platform), Then start-up fails with the reason
        assertThatThrownBy(() -> new ApiKeyFilter("", List.of("/actuator/**"), false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GATEWAY_API_KEY is not set");

        // When the simulator is on (the demo), Then the API is open
        ApiKeyFilter demo = new ApiKeyFilter(" ", List.of("/actuator/**"), true);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        demo.doFilter(new MockHttpServletRequest("GET", "/api/devices"), response, chain);
        assertThat(chain.getRequest()).as("request passed on").isNotNull();
        assertThat(response.getStatus()).isEqualTo(200);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
