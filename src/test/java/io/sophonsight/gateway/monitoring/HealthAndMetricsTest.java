package io.sophonsight.gateway.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.push.PushTestSupport;
import io.sophonsight.gateway.simulator.SimulatorFaults;
import io.sophonsight.gateway.sophonsight.SophonSightUnavailableException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What Kubernetes and Prometheus see: the liveness and readiness groups include Camel's states, and
 * {@code /actuator/prometheus} has Camel's per-route timers (by route id) and the gateway's own metrics.
 */
class HealthAndMetricsTest extends PushTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong PASS_TIME = new AtomicLong(1_600_000_000_000L + (System.nanoTime() % 1_000_000) * 1000);
    private static final String STORED_EMPLOYEE_PUSH =
            "gateway_access_events_total{form=\"P\",outcome=\"stored\",person_type=\"employee\",source=\"push\"}";
    private static final String DUPLICATE_EMPLOYEE_PUSH =
            "gateway_access_events_total{form=\"P\",outcome=\"duplicate\",person_type=\"employee\",source=\"push\"}";

    private HttpResponse<String> apiGet(String path) {
        try {
            return HTTP.send(apiRequest(path).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl(path))).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> health(String group) throws Exception {
        HttpResponse<String> reply = get("/actuator/health/" + group);
        return JSON.readValue(reply.body(), Map.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void livenessAndReadinessProbesIncludeCamelsOwnStates() throws Exception {
        // When Kubernetes probes the two groups
        Map<String, Object> liveness = health("liveness");
        Map<String, Object> readiness = health("readiness");

        // Then each group answers with Spring's and Camel's state side by side
        assertThat((Map<String, Object>) liveness.get("components")).containsOnlyKeys("livenessState", "camelLivenessState");
        assertThat(liveness).containsEntry("status", "UP");
        assertThat((Map<String, Object>) ((Map<String, Object>) liveness.get("components")).get("camelLivenessState"))
                .containsEntry("status", "UP");
        assertThat((Map<String, Object>) readiness.get("components")).containsOnlyKeys("readinessState", "camelReadinessState");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    @Test
    void onePushedAccessRecordMovesTheStoredCounterByExactlyOneAndTheRouteTimerByRouteId() {
        // Given a scrape before anything is pushed
        String before = scrape();
        long passTime = PASS_TIME.addAndGet(1000);
        String record = sample("access-platform-minimal.json").replace("1764320400000", Long.toString(passTime))
                .replace("\"E-0001\"", "\"E-METRICS\"");

        // When the platform pushes one access record
        assertThat(push(ACCESS_PATH, record).statusCode()).isEqualTo(200);
        String after = scrape();

        // Then the counter of stored events of that type and source moved by exactly one, duplicates by none
        assertThat(value(after, STORED_EMPLOYEE_PUSH) - value(before, STORED_EMPLOYEE_PUSH)).isEqualTo(1.0);
        assertThat(value(after, DUPLICATE_EMPLOYEE_PUSH)).isEqualTo(value(before, DUPLICATE_EMPLOYEE_PUSH));
        // And the push route has its timer, named by route id, that counted the push
        String timer = "camel_route_policy_seconds_count{" + labelsOf(after, "camel_route_policy_seconds_count", "access-record-push") + "}";
        assertThat(value(after, timer) - value(before, timer)).isGreaterThanOrEqualTo(1.0);
        assertThat(after).contains("camel_exchanges_failed_total{");
        // And the store step committed it: one more transaction of the group commit, holding at least this event
        assertThat(value(after, "gateway_access_event_commit_rows_count")
                - value(before, "gateway_access_event_commit_rows_count")).isGreaterThanOrEqualTo(1.0);
        assertThat(value(after, "gateway_access_event_commit_rows_sum")
                - value(before, "gateway_access_event_commit_rows_sum")).isGreaterThanOrEqualTo(1.0);
        // And the access push was just received
        assertThat(value(after, "gateway_push_last_received_age_seconds{kind=\"access\"}")).isLessThan(30.0);

        // When the platform sends the same record again
        assertThat(push(ACCESS_PATH, record).statusCode()).isEqualTo(200);

        // Then it counts as a duplicate, not as a second stored event
        String again = scrape();
        assertThat(value(again, STORED_EMPLOYEE_PUSH)).isEqualTo(value(after, STORED_EMPLOYEE_PUSH));
        assertThat(value(again, DUPLICATE_EMPLOYEE_PUSH) - value(after, DUPLICATE_EMPLOYEE_PUSH)).isEqualTo(1.0);
    }

    @Test
    void pushesAreTimedByTheirCamelRouteOnlyWhileOtherRequestsKeepSpringsHttpTimer() {
        // Given a push and a REST API request on the same (push/API) port
        long passTime = PASS_TIME.addAndGet(1000);
        assertThat(push(ACCESS_PATH, sample("access-platform-minimal.json").replace("1764320400000", Long.toString(passTime))
                .replace("\"E-0001\"", "\"E-OBSERVED\"")).statusCode()).isEqualTo(200);
        assertThat(apiGet("/api/devices").statusCode()).isEqualTo(200);

        // When Prometheus scrapes
        String scrape = scrape();

        // Then Spring's http.server.requests timer has the API request but no series for the push path (push.observe-http-requests
        // is false): the push is timed by its route, camel_route_policy_seconds{routeId="access-record-push"}
        assertThat(scrape).containsPattern("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"/api/devices\"");
        assertThat(scrape).doesNotContainPattern("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"" + ACCESS_PATH + "\"");
        assertThat(scrape).contains("routeId=\"access-record-push\"");
    }

    @Test
    void aRefusedPushShowsUpAsAPendingDeadLetterOfItsFlow() {
        // Given the dead letters of the push receiver as Prometheus sees them now
        String gauge = "gateway_dead_letters_pending{flow=\"access-record-push\"}";
        int before = count("SELECT COUNT(*) FROM dead_letter WHERE flow = 'access-record-push' AND replayed_at IS NULL");

        // When the platform pushes something that is not an access record
        assertThat(push(ACCESS_PATH, "{\"neither\": \"form\"}").statusCode()).isEqualTo(400);

        // Then the gauge of that flow shows one more pending dead letter (within the metrics cache time)
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> value(scrape(), gauge), v -> v == before + 1);
    }

    @Test
    void hrSyncAndDeletionGuardGaugesAreScraped() {
        // When Prometheus scrapes
        String scrape = scrape();

        // Then the HR sync age and failure gauges of both modes and the held deletes are there, with numbers
        for (String mode : new String[] {"FULL", "INCREMENTAL"}) {
            assertThat(scrape).contains("gateway_hr_sync_last_success_age_seconds{mode=\"" + mode + "\"} ",
                    "gateway_hr_sync_last_run_failed{mode=\"" + mode + "\"} ");
            assertThat(value(scrape, "gateway_hr_sync_last_success_age_seconds{mode=\"" + mode + "\"}")).isNotNaN().isNotNegative();
            assertThat(value(scrape, "gateway_hr_sync_last_run_failed{mode=\"" + mode + "\"}")).isIn(0.0, 1.0);
        }
        assertThat(scrape).contains("gateway_hr_sync_held_deletes{kind=\"person\"} ", "gateway_hr_sync_held_deletes{kind=\"org\"} ",
                "gateway_dead_letters_pending_all ");
        assertThat(value(scrape, "gateway_hr_sync_held_deletes{kind=\"person\"}")).isNotNegative();
        assertThat(value(scrape, "gateway_push_last_received_age_seconds{kind=\"device-status\"}")).isNotNegative();
    }

    @Test
    void everyAlertIsCountedByType() {
        // Given the alerts counted so far
        String series = "gateway_alerts_total{type=\"push-silence\"}";
        double before = value(scrape(), series);

        // When the silence check runs long after the last push (a drill: the check time is given)
        producer.sendBodyAndHeader("direct:push-silence-check", null, "PushSilenceCheckAt",
                System.currentTimeMillis() + Duration.ofDays(1).toMillis());

        // Then one push-silence alert is counted
        assertThat(value(scrape(), series) - before).isEqualTo(1.0);
        // (pushes resuming raise push-resumed on the next check: leave the watch as other tests expect it)
        push(ACCESS_PATH, sample("access-platform-minimal.json"));
        producer.sendBody("direct:push-silence-check", null);
    }

    @Test
    void aPlatformCallThatFailsAfterTheRetriesIsCountedAsUnavailableByPath() {
        // Given a platform answering 503 to every device search
        String series = "gateway_platform_call_failures_total{path=\"/openapi/v1/cross/search\",reason=\"unavailable\"}";
        double before = value(scrape(), series);
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, "/openapi/v1/cross/search",
                0, 0, 503, 0, null, 0, null, null));

        // When a flow calls it through the shared call step
        assertThatThrownBy(() -> producer.requestBodyAndHeader("direct:sophonsight-call", Map.of("pageNum", 1),
                "SophonSightPath", "/openapi/v1/cross/search"))
                .hasRootCauseInstanceOf(SophonSightUnavailableException.class);

        // Then one call (not each retry) is counted as unavailable, under its API path
        assertThat(value(scrape(), series) - before).isEqualTo(1.0);
    }

    private String scrape() {
        HttpResponse<String> reply = get("/actuator/prometheus");
        assertThat(reply.statusCode()).isEqualTo(200);
        return reply.body();
    }

    /** The value of one series (name and labels exactly as Prometheus prints them); 0 when it is not there yet. */
    static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /** The labels of the first series of {@code name} whose routeId is {@code routeId}. */
    private static String labelsOf(String scrape, String name, String routeId) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*routeId=\"" + Pattern.quote(routeId) + "\"[^}]*)}",
                Pattern.MULTILINE).matcher(scrape);
        assertThat(m.find()).as("%s of route %s in the scrape", name, routeId).isTrue();
        return m.group(1);
    }
}
