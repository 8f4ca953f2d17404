package io.sophonsight.gateway.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.sophonsight.gateway.push.PushTestSupport;
import io.sophonsight.gateway.simulator.SimulatorFaults;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Every metric that {@code k8s/monitoring/} (the alert rules and the Grafana dashboard) names is one the running
 * gateway exports on {@code /actuator/prometheus}, once the flows that create its series have run: a renamed metric
 * or a typo in a rule would otherwise give an alert that can never fire and an empty panel.
 */
class ExportedMetricsTest extends PushTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyMetricTheAlertRulesAndTheDashboardNameIsExportedByTheGateway() {
        // Given the metrics the rules and the dashboard use
        Set<String> used = MonitoringFiles.metricsUsed();
        assertThat(used).as("metrics found in k8s/monitoring").contains("gateway_alerts_total", "camel_exchanges_failed_total",
                "gateway_push_last_received_age_seconds", "jvm_memory_used_bytes");

        // When the flows that create their series have run: a stored push, a refused push (dead letter), an alert,
        // and a platform call failing after its retries
        assertThat(push(ACCESS_PATH, sample("access-platform-minimal.json").replace("\"E-0001\"", "\"E-EXPORTED\"")
                .replace("1764320400000", Long.toString(1_700_000_000_000L + System.nanoTime() % 1_000_000_000L))).statusCode())
                .isEqualTo(200);
        assertThat(push(ACCESS_PATH, "{\"neither\": \"form\"}").statusCode()).isEqualTo(400);
        producer.sendBodyAndHeader("direct:push-silence-check", null, "PushSilenceCheckAt",
                System.currentTimeMillis() + Duration.ofDays(1).toMillis());
        push(ACCESS_PATH, sample("access-platform-minimal.json"));
        producer.sendBody("direct:push-silence-check", null);
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, "/openapi/v1/cross/search",
                0, 0, 503, 0, null, 0, null, null));
        assertThat(catchThrowable(() -> producer.requestBodyAndHeader("direct:sophonsight-call", Map.of("pageNum", 1),
                "SophonSightPath", "/openapi/v1/cross/search"))).as("the call fails after its retries").isNotNull();

        // Then Prometheus finds each of them in a scrape (the database gauges show a new flow's series once their
        // cached reading is renewed: GATEWAY_METRICS_DB_CACHE, 5 s)
        Set<String> missing = new TreeSet<>(used);
        try {
            await("every metric of k8s/monitoring in a scrape").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        missing.clear();
                        missing.addAll(used);
                        missing.removeAll(exportedNames(scrape()));
                        return missing.isEmpty();
                    });
        } catch (ConditionTimeoutException stillMissing) {
            // reported by the assertion below, with the names
        }
        assertThat(missing).as("metrics named in k8s/monitoring that the gateway does not export").isEmpty();
    }

    /** Names of the series in a Prometheus text scrape (comments skipped). */
    static Set<String> exportedNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private String scrape() {
        try {
            HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl("/actuator/prometheus")))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).isEqualTo(200);
            return reply.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
