package io.sophonsight.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.hr.HrDeletionGuard;
import io.sophonsight.gateway.push.PushGuard;
import io.sophonsight.gateway.push.PushKey;
import io.sophonsight.gateway.security.ClientAddress;
import io.sophonsight.gateway.security.GatewayKeys;
import io.sophonsight.gateway.security.RequestGuardFilter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The REST keys: {@code GATEWAY_API_KEY} (visitors, devices, photos) and {@code GATEWAY_ADMIN_KEY} (HR sync
 * administration, dead-letter replay; also the API paths). What a client without a key gets, how it sends one,
 * what each key may do, and what stays open (push receivers with their own key); the actuator lives on the management port.
 */
class ApiKeyTest extends GatewayTestSupport {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    @Autowired
    private HrDeletionGuard deletionGuard;

    @Test
    void requestWithoutTheKeyIsRefusedWith401AndAProblemSayingWhy() throws Exception {
        // Given the gateway with GATEWAY_API_KEY set
        // When a client calls the REST API without a key
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(gatewayUrl("/api/devices"))));

        // Then 401, with the reason as a problem (like every REST error) and the scheme to use
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
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
        assertThat(answer.body()).contains("wrong admin key");
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
    void aKioskKeyCannotConfirmHeldDeletesStartRunsReplayDeadLettersOrResolveVisitors() throws Exception {
        // Given deletes held by the threshold
        deletionGuard.clear();
        deletionGuard.allows(100, 100, 0, 10, false);
        assertThat(deletionGuard.getHeldPersonDeletes()).isEqualTo(100);
        try {
            // When a reception kiosk's API key confirms them, starts a run, reads the status, replays dead letters
            for (String[] call : List.of(new String[]{"POST", "/api/hr-sync/confirm-deletes"},
                    new String[]{"POST", "/api/hr-sync/run?mode=FULL"}, new String[]{"GET", "/api/hr-sync/status"},
                    new String[]{"POST", "/gateway/dead-letters/replay"},
                    // the container's own path forms reach the same routes, so they are judged the same
                    new String[]{"POST", "/api/hr-sync;x=1/confirm-deletes"}, new String[]{"POST", "/api//hr-sync/confirm-deletes"},
                    new String[]{"POST", "/api/hr-sync/./confirm-deletes"}, new String[]{"POST", "/api/hr-sync/confirm-deletes/"},
                    // an operator's verdict on an uncertain visitor registration, in the same path forms
                    new String[]{"POST", "/api/visitors/some-id/resolution?onPlatform=true"},
                    new String[]{"POST", "/api/visitors/some-id;x=1/resolution?onPlatform=true"},
                    new String[]{"POST", "/api//visitors/some-id/./resolution/?onPlatform=false"})) {
                HttpResponse<String> answer = send(apiRequest(call[1]).method(call[0], HttpRequest.BodyPublishers.noBody()));

                // Then each is refused with 403 and a JSON reason naming the admin key
                assertThat(answer.statusCode()).as(call[1]).isEqualTo(403);
                Map<?, ?> reason = mapper.readValue(answer.body(), Map.class);
                assertThat(reason.get("status")).isEqualTo(403);
                assertThat((String) reason.get("detail")).contains("needs the admin key (GATEWAY_ADMIN_KEY)");
            }
            // And the deletes are still held
            assertThat(deletionGuard.isConfirmationPending()).isFalse();
            assertThat(deletionGuard.getHeldPersonDeletes()).isEqualTo(100);

            // When the admin key confirms them, Then they are confirmed
            HttpResponse<String> confirmed = send(adminRequest("/api/hr-sync/confirm-deletes")
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(confirmed.statusCode()).isEqualTo(200);
            assertThat(deletionGuard.isConfirmationPending()).isTrue();
        } finally {
            deletionGuard.clear();
        }
    }

    @Test
    void theAdminKeyAlsoOpensTheApiPaths() throws Exception {
        // When an operator reads the status and the devices with the admin key, Then both answer
        assertThat(send(adminRequest("/api/hr-sync/status")).statusCode()).isEqualTo(200);
        assertThat(send(adminRequest("/api/devices")).statusCode()).isEqualTo(200);
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
    void pushReceiversKeepTheirOwnKeyAndIgnoreTheApiKeys() throws Exception {
        // When the platform pushes with the API or admin key but no push key, Then the push receiver's own check answers
        for (String key : List.of(API_KEY, ADMIN_KEY)) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(gatewayUrl("/sophonsight/access-records")))
                    .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).contains("?key=");
        }
    }

    @Test
    void withoutKeysTheApiRunsOpenOnlyBesideTheBuiltInSimulator() throws Exception {
        // Given no GATEWAY_API_KEY or no GATEWAY_ADMIN_KEY
        // When the built-in simulator is off (a real platform), Then start-up fails with the reason
        assertThatThrownBy(() -> new GatewayKeys("", "an-admin-key-0123456789", false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GATEWAY_API_KEY is not set");
        assertThatThrownBy(() -> new GatewayKeys("an-api-key-0123456789", " ", false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GATEWAY_ADMIN_KEY is not set");
        // And one value for both keys is refused: the kiosk would hold the admin key
        assertThatThrownBy(() -> new GatewayKeys("same-key-0123456789", "same-key-0123456789", false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("same value");

        // When the simulator is on (the demo), Then API and admin paths are open
        RequestGuardFilter demo = filter(new GatewayKeys(" ", "", true));
        for (String path : List.of("/api/devices", "/api/hr-sync/confirm-deletes")) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            MockFilterChain chain = new MockFilterChain();
            demo.doFilter(new MockHttpServletRequest("POST", path), response, chain);
            assertThat(chain.getRequest()).as(path + " passed on").isNotNull();
            assertThat(response.getStatus()).isEqualTo(200);
        }
    }

    static RequestGuardFilter filter(GatewayKeys keys) {
        return new RequestGuardFilter(keys, new PushGuard(new PushKey("a-long-enough-test-push-key", false), List.of()),
                new ClientAddress(List.of()), "/sophonsight/access-records", "/sophonsight/device-status",
                List.of("/api/hr-sync/**", "/gateway/dead-letters/replay"), List.of("/actuator/**", "/error"),
                List.of("/api/visitors"), List.of(), DataSize.ofMegabytes(16), DataSize.ofMegabytes(4));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
