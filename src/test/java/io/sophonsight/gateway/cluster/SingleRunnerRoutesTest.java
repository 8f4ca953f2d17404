package io.sophonsight.gateway.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.sophonsight.gateway.GatewayTestSupport;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Which routes run on one replica only when the gateway runs as several: decided from each route's consumer, so
 * a new flow with a quartz trigger or a polling consumer is single-runner without anyone remembering it.
 */
class SingleRunnerRoutesTest extends GatewayTestSupport {

    @Autowired
    SingleRunnerRoutePolicyFactory factory;

    @Autowired
    ClusterLeadership leadership;

    @Test
    void scheduledAndPollingRoutesAreSingleRunnerAndRequestRoutesRunOnEveryReplica() {
        // Given the flows of routes/
        List<RouteDefinition> flows = flowsOfRoutesFolder();

        // When the factory decides which ones run on the leader only
        Set<String> singleRunner = factory.select(camelContext, flows);

        // Then exactly the quartz/timer schedules and the sql pollers are chosen
        assertThat(singleRunner).containsExactlyInAnyOrder(
                "access-event-fanout-poller",            // sql: polls the outbox
                "access-record-poll-employee-schedule",  // quartz
                "access-record-poll-stranger-schedule",  // quartz
                "access-record-poll-visitor-schedule",   // quartz
                "data-retention-schedule",               // quartz
                "device-inventory-schedule",             // quartz
                "embedded-database-compaction",          // timer (does nothing but on an embedded H2 file)
                "hr-sync-first-run",                     // timer
                "hr-sync-incremental-schedule",          // quartz
                "hr-sync-full-schedule",                 // quartz
                "push-silence-schedule",                 // quartz
                "visitor-retry-schedule",                // quartz
                "visitor-request-intake");               // sql: polls the request table
        // and every push receiver, REST operation (rest:, and rest-api: the OpenAPI document) and direct: step stays
        // on every replica
        assertThat(flows).filteredOn(r -> !singleRunner.contains(r.getRouteId()))
                .allSatisfy(r -> assertThat(r.getInput().getEndpointUri()).matches("(platform-http|direct|rest|rest-api):.*"));
    }

    @Test
    void includeAndExcludeListsOverrideTheDetectionAndAStoppedRouteIsLeftAlone() {
        // Given settings that keep push silence on every replica and make the device listing single-runner
        ClusterSettings settings = new ClusterSettings("database", "sophonsight-gateway", "device-api-list",
                "push-silence-schedule", "quartz,timer,scheduler,cron", Duration.ofSeconds(10), Duration.ofSeconds(3), "", "");
        @SuppressWarnings("unchecked")
        SingleRunnerRoutePolicyFactory custom = new SingleRunnerRoutePolicyFactory(settings, mock(ObjectProvider.class));
        // and a timer route that an engineer switched off (autoStartup false)
        RouteDefinition switchedOff = new RouteDefinition().from("timer:switched-off").routeId("switched-off");
        switchedOff.autoStartup("false");

        // When it decides
        Set<String> singleRunner = custom.select(camelContext,
                Stream.concat(flowsOfRoutesFolder().stream(), Stream.of(switchedOff)).toList());

        // Then the lists win over the detection, and the switched-off route is not started on the leader
        assertThat(singleRunner).contains("device-api-list", "hr-sync-full-schedule")
                .doesNotContain("push-silence-schedule", "switched-off", "access-record-push");
    }

    @Test
    void inModeNoneNoRouteGetsThePolicyAndTheInfoEndpointSaysSo() throws Exception {
        // Given the default mode none (one process)
        // When Camel created the routes, Then none got the clustered policy
        assertThat(factory.singleRunnerRoutes()).isEmpty();
        assertThat(camelContext.getRoutes()).allSatisfy(route ->
                assertThat(route.getRoutePolicyList()).noneMatch(p -> p instanceof org.apache.camel.impl.cluster.ClusteredRoutePolicy));
        // and the factory is the one Camel uses (picked up from the Spring context)
        assertThat(camelContext.getRoutePolicyFactories()).contains(factory);

        // When an operator asks /actuator/info
        HttpResponse<String> info = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(managementUrl("/actuator/info"))).GET().build(), HttpResponse.BodyHandlers.ofString());

        // Then it shows the cluster state: mode none, this process leads
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).contains("\"cluster\"", "\"mode\":\"none\"", "\"leader\":true",
                "\"namespace\":\"sophonsight-gateway\"");
        assertThat(leadership.isLeader()).isTrue();
    }

    private List<RouteDefinition> flowsOfRoutesFolder() {
        return ((ModelCamelContext) camelContext).getRouteDefinitions().stream()
                .filter(r -> r.isCreatedFromTemplate() // templatedRoutes of routes/ (their model names no resource)
                        || r.getResource() != null && r.getResource().getLocation().contains("routes/"))
                .toList();
    }
}
