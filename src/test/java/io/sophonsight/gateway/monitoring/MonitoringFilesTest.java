package io.sophonsight.gateway.monitoring;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files of {@code k8s/monitoring/} are complete: every alert has its runbook and a promtool unit test, the
 * dashboard covers what operators watch. Plain JUnit; promtool itself runs in CI ({@code k8s/monitoring/check-rules.sh})
 * and {@link ExportedMetricsTest} checks the metric names against a running gateway.
 */
class MonitoringFilesTest {

    @Test
    void everyAlertHasASeverityASummaryAndItsRunbook() {
        // Given the alert rules of the PrometheusRule
        List<Map<String, Object>> rules = MonitoringFiles.alertRules();
        assertThat(rules).as("alert rules").isNotEmpty();

        for (Map<String, Object> rule : rules) {
            // Then each names its severity, says what happened, what it means and what to do
            String alert = (String) rule.get("alert");
            assertThat(alert).as("alert name").matches("Gateway[A-Za-z]+");
            assertThat(map(rule.get("labels"))).as(alert + " labels").containsKey("severity");
            assertThat((String) map(rule.get("labels")).get("severity")).as(alert + " severity").isIn("critical", "warning", "info");
            Map<String, Object> annotations = map(rule.get("annotations"));
            for (String annotation : List.of("summary", "description", "runbook")) {
                assertThat((String) annotations.get(annotation)).as(alert + " annotation " + annotation).isNotBlank();
            }
        }
    }

    @Test
    void theRulesCoverEveryAlertOfTheReadme() {
        // Given the README's alerts (the rule names it documents) and the rules of the PrometheusRule
        Set<String> rules = MonitoringFiles.alertRules().stream().map(r -> (String) r.get("alert")).collect(Collectors.toSet());

        // Then the standing alerts are all there: security, devices, pushes, dead letters, HR, platform, routes, database, pods
        assertThat(rules).containsExactlyInAnyOrder("GatewayBlacklistPass", "GatewayDeviceOffline", "GatewayPushSilence",
                "GatewayDeadLettersGrowing", "GatewayHrDeletesHeld", "GatewayHrSyncFailing", "GatewayHrSyncStale",
                "GatewayPlatformUnreachable", "GatewayRouteFailing", "GatewayMetricsDatabaseUnreadable", "GatewayDown");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasAPromtoolUnitTestThatSeesItQuietAndFiring() {
        // Given the promtool tests of k8s/monitoring/prometheusrule.tests.yaml
        Map<String, Object> file = MonitoringFiles.yaml(MonitoringFiles.RULE_TESTS);
        Set<String> quiet = new TreeSet<>();
        Set<String> firing = new TreeSet<>();
        for (Map<String, Object> test : (List<Map<String, Object>>) file.get("tests")) {
            for (Map<String, Object> check : (List<Map<String, Object>>) test.get("alert_rule_test")) {
                List<?> expected = (List<?>) check.get("exp_alerts");
                (expected == null || expected.isEmpty() ? quiet : firing).add((String) check.get("alertname"));
            }
        }

        // Then each alert is checked firing and quiet
        Set<String> alerts = MonitoringFiles.alertRules().stream().map(r -> (String) r.get("alert")).collect(Collectors.toCollection(TreeSet::new));
        assertThat(firing).as("alerts with a promtool test in which they fire").isEqualTo(alerts);
        assertThat(quiet).as("alerts with a promtool test in which they stay quiet").isEqualTo(alerts);
    }

    @Test
    void theDashboardShowsRoutesPushesHrSyncDeadLettersPlatformCallsAndTheJvm() {
        // Given the Grafana dashboard
        JsonNode dashboard = MonitoringFiles.dashboard();
        Set<String> used = new TreeSet<>();
        MonitoringFiles.dashboardExpressions().forEach(expr -> used.addAll(MonitoringFiles.metricNames(expr)));

        // Then it has a stable uid, a Prometheus data-source variable every panel uses
        assertThat(dashboard.path("uid").asText()).isEqualTo("sophonsight-gateway");
        assertThat(dashboard.findValues("uid").stream().map(JsonNode::asText).filter(uid -> !uid.equals("sophonsight-gateway")))
                .as("panel data sources").allMatch("${datasource}"::equals);
        // And it shows each area operators watch
        assertThat(used).contains("camel_exchanges_total", "camel_exchanges_failed_total", "camel_route_policy_seconds_sum",
                "gateway_access_events_total", "gateway_push_last_received_age_seconds", "gateway_hr_sync_last_run_failed",
                "gateway_hr_sync_last_success_age_seconds", "gateway_hr_sync_held_deletes", "gateway_dead_letters_pending",
                "gateway_platform_call_failures_total", "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum");
    }

    @Test
    void metricNamesAreReadFromPromQlWithoutFunctionsLabelsOrKeywords() {
        // When the names are read from expressions like those of the rules
        // Then functions, label names and values, ranges, grouping labels and keywords are not taken for metrics
        assertThat(MonitoringFiles.metricNames("sum by (routeId) (increase(camel_exchanges_failed_total{routeId=~\"a|b\"}[10m])) > 0"))
                .containsExactly("camel_exchanges_failed_total");
        assertThat(MonitoringFiles.metricNames("min by (mode) (x_age_seconds{mode=\"FULL\"}) > 93600 or min(y_total) > 1e3"))
                .containsExactly("x_age_seconds", "y_total");
        assertThat(MonitoringFiles.metricNames("sum(rate(a_sum{namespace=\"$namespace\"}[$__rate_interval])) / sum(rate(a_count[5m]))"))
                .containsExactly("a_count", "a_sum");
        assertThat(MonitoringFiles.metricNames("up{job=\"sophonsight-gateway\"} == 0")).containsExactly("up");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }
}
