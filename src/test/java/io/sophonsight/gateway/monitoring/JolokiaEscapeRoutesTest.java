package io.sophonsight.gateway.monitoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sophonsight.gateway.deadletters.DeadLetters;
import io.sophonsight.gateway.hr.HrDeletionGuard;
import io.sophonsight.gateway.hr.HrSyncOperations;
import io.sophonsight.gateway.push.PushTestSupport;
import org.apache.camel.ServiceStatus;
import org.jolokia.support.spring.SpringJolokiaAgent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ways out of the Jolokia agent an attacker on the pod network tried (issue "Close every way in"), each sent
 * as JSON over the agent's real HTTP port without credentials, as the attacker did: each is refused by the policy
 * ({@code jolokia-access.xml}) and leaves no trace (no key in the answer, no SQL run, no file, no endpoint, no
 * platform call, the route still there). The operations the README documents keep working over the same agent.
 * Every refusal here was an answer with the result under the previous policy ({@code org.apache.camel:*},
 * every operation).
 */
class JolokiaEscapeRoutesTest extends PushTestSupport {

    private static final String CONTEXT = "org.apache.camel:context=sophonsight-gateway,type=context,name=\"sophonsight-gateway\"";
    private static final String REQUEST_BODY = "requestBody(java.lang.String,java.lang.Object)";
    private static final String SEND_BODY = "sendBody(java.lang.String,java.lang.Object)";

    @Autowired
    private SpringJolokiaAgent jolokiaAgent;

    @Autowired
    private HrDeletionGuard guard;

    private JolokiaClient jolokia;

    @BeforeEach
    void jolokiaOfThisGateway() {
        jolokia = new JolokiaClient(jolokiaAgent.getUrl());
    }

    private static String route(String routeId) {
        return "org.apache.camel:context=sophonsight-gateway,type=routes,name=\"" + routeId + "\"";
    }

    private Map<String, Object> exec(String mbean, String operation, Object... arguments) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("type", "exec");
        request.put("mbean", mbean);
        request.put("operation", operation);
        request.put("arguments", new ArrayList<>(Arrays.asList(arguments)));
        return jolokia.send(request);
    }

    private static void assertRefused(Map<String, Object> answer, String what) {
        assertThat(answer.get("status")).as(what + ": " + answer).isEqualTo(403);
        assertThat(answer).as(what + " answers no result").doesNotContainKey("value");
    }

    @Test
    void theIssuesRequestForThePushKeyIsRefusedAndTheKeyIsNowhereInTheAnswer() {
        // Given the gateway's agent, reached without credentials (JOLOKIA_USER unset, the default on 127.0.0.1)
        // When the exact request of the issue asks Camel to evaluate ${properties:push.key}
        Map<String, Object> answer = exec(CONTEXT, REQUEST_BODY, "language:simple:${properties:push.key}", null);

        // Then it is refused, and the push key appears nowhere in what came back
        assertRefused(answer, "requestBody(language:simple:${properties:push.key})");
        assertThat(answer.toString()).doesNotContain(pushKey.value());
    }

    @Test
    void sqlThroughRequestBodyIsRefusedAndRunsNothing() {
        // Given the number of dead letters in the gateway's database
        Integer before = jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter", Integer.class);

        // When an attacker asks Camel to run SQL on the gateway's own database, reading and writing
        Map<String, Object> read = exec(CONTEXT, REQUEST_BODY, "sql:SELECT COUNT(*) AS n FROM access_event", null);
        Map<String, Object> write = exec(CONTEXT, REQUEST_BODY,
                "sql:INSERT INTO dead_letter (flow, reason, payload_ref, attempts) VALUES ('jolokia', 'escape', 'x', 0)", null);

        // Then both are refused and no row was written
        assertRefused(read, "requestBody(sql:SELECT ...)");
        assertRefused(write, "requestBody(sql:INSERT ...)");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter", Integer.class)).isEqualTo(before);
    }

    @Test
    void aFileWriteThroughSendBodyIsRefusedAndNoFileAppears() throws Exception {
        // Given a folder the gateway could write to
        Path folder = Files.createTempDirectory(DATA_DIR, "escape-");

        // When an attacker asks Camel to write a file there (and to read one with requestBody)
        Map<String, Object> write = exec(CONTEXT, SEND_BODY, "file:" + folder + "?fileName=planted.sh", "#!/bin/sh\nid\n");
        Map<String, Object> headers = exec(CONTEXT, "sendBodyAndHeaders(java.lang.String,java.lang.Object,java.util.Map)",
                "file:" + folder + "?fileName=planted2.sh", "id", Map.of("CamelFileName", "planted3.sh"));

        // Then both are refused and the folder stays empty
        assertRefused(write, "sendBody(file:...)");
        assertRefused(headers, "sendBodyAndHeaders(file:...)");
        try (var files = Files.list(folder)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void aBeanEndpointCreatedOrCalledThroughJolokiaIsRefused() {
        // Given the endpoints Camel knows
        int endpointsBefore = camelContext.getEndpoints().size();
        String bean = "bean:hrDeletionGuard?method=confirmHeldDeletes";

        // When an attacker creates an endpoint calling a gateway bean, or calls one directly
        Map<String, Object> created = exec(CONTEXT, "createEndpoint(java.lang.String)", bean);
        Map<String, Object> called = exec(CONTEXT, "requestBody(java.lang.String,java.lang.Object)", bean, null);

        // Then both are refused, and no endpoint was added
        assertRefused(created, "createEndpoint(bean:...)");
        assertRefused(called, "requestBody(bean:...)");
        assertThat(camelContext.hasEndpoint(bean)).isNull();
        assertThat(camelContext.getEndpoints()).hasSize(endpointsBefore);
    }

    @Test
    void anHttpCallThroughJolokiaIsRefusedAndNeverReachesAnyServer() {
        // Given a platform API the simulator counts calls of
        String path = "/openapi/v1/syncdept/addOrEdit";
        long callsBefore = simulator.state().calls(path);

        // When an attacker makes the gateway call it (any host would do: the gateway as an open proxy)
        Map<String, Object> sent = exec(CONTEXT, SEND_BODY, "http://localhost:" + simulator.port() + path, "{}");
        Map<String, Object> requested = exec(CONTEXT, "requestBodyAndHeaders(java.lang.String,java.lang.Object,java.util.Map)",
                "http://localhost:" + simulator.port() + path, "{}", Map.of("Content-Type", "application/json"));

        // Then both are refused and the server got nothing
        assertRefused(sent, "sendBody(http:...)");
        assertRefused(requested, "requestBodyAndHeaders(http:...)");
        assertThat(simulator.state().calls(path)).isEqualTo(callsBefore);
    }

    @Test
    void routesCannotBeRemovedReplacedOrReconfiguredThroughJolokia() {
        // Given the push receiver's route, running
        String routeId = "access-record-push";
        assertThat(camelContext.getRoute(routeId)).isNotNull();

        // When an attacker removes it (route and context operations), replaces routes from XML,
        // sets a global option, or writes a Camel attribute (tracing puts message bodies, face photos, in the log)
        List<Map<String, Object>> answers = List.of(
                exec(route(routeId), "remove()"),
                exec(CONTEXT, "removeRoute(java.lang.String)", routeId),
                exec(CONTEXT, "addOrUpdateRoutesFromXml(java.lang.String)",
                        "<routes xmlns=\"http://camel.apache.org/schema/spring\"><route id=\"" + routeId + "\">"
                                + "<from uri=\"timer:x\"/><to uri=\"log:x\"/></route></routes>"),
                exec(route(routeId), "updateRouteFromXml(java.lang.String)", "<route/>"),
                exec(CONTEXT, "setGlobalOption(java.lang.String,java.lang.String)", "CamelJacksonEnableTypeConverter", "true"),
                jolokia.write(CONTEXT, "Tracing", true),
                jolokia.write(route(routeId), "Tracing", true));

        // Then each is refused, and the route is still there, started, and not traced
        for (Map<String, Object> answer : answers) {
            assertRefused(answer, "route removal / replacement / option");
        }
        assertThat(camelContext.getRoute(routeId)).isNotNull();
        assertThat(camelContext.getRouteController().getRouteStatus(routeId)).isEqualTo(ServiceStatus.Started);
        assertThat(camelContext.isTracing()).isFalse();
        assertThat(camelContext.getGlobalOptions()).doesNotContainKey("CamelJacksonEnableTypeConverter");
    }

    @Test
    void theJvmCannotBeDumpedOrChangedThroughJolokia() throws Exception {
        // Given a path a heap dump would be written to
        Path dump = DATA_DIR.resolve("escape-heap.hprof");

        // When an attacker asks for a heap dump (every secret in memory), a thread dump, a GC or a VM flag change
        List<Map<String, Object>> answers = List.of(
                exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap(java.lang.String,boolean)", dump.toString(), true),
                exec("com.sun.management:type=HotSpotDiagnostic", "setVMOption(java.lang.String,java.lang.String)",
                        "HeapDumpOnOutOfMemoryError", "true"),
                exec("com.sun.management:type=DiagnosticCommand", "threadPrint([Ljava.lang.String;)", (Object) new String[0]),
                exec("java.lang:type=Threading", "dumpAllThreads(boolean,boolean)", false, false),
                exec("java.lang:type=Memory", "gc()"),
                jolokia.write("java.lang:type=Memory", "Verbose", true));

        // Then each is refused and no dump file exists
        for (Map<String, Object> answer : answers) {
            assertRefused(answer, "JVM dump or change");
        }
        assertThat(dump).doesNotExist();
    }

    @Test
    void theDocumentedOperationsStillWork() {
        // Given the agent under the same policy
        String routeId = "device-inventory-schedule";

        // When an operator reads statistics, dumps the routes, and stops, starts, suspends, resumes and resets a route
        assertThat(JolokiaClient.value(jolokia.read(route("access-record-push"), "ExchangesTotal"))).isNotNull();
        assertThat(JolokiaClient.value(exec(CONTEXT, "dumpRoutesAsXml()")).toString()).contains("access-event-fanout");
        assertThat(JolokiaClient.value(exec(route(routeId), "dumpRouteAsXml()")).toString()).contains(routeId);
        assertThat(JolokiaClient.value(exec(CONTEXT, "dumpRoutesStatsAsXml(boolean,boolean)", false, true)).toString())
                .contains(routeId);
        try {
            JolokiaClient.value(exec(route(routeId), "stop()"));
            assertThat(camelContext.getRouteController().getRouteStatus(routeId)).isEqualTo(ServiceStatus.Stopped);
            JolokiaClient.value(exec(route(routeId), "start()"));
            assertThat(camelContext.getRouteController().getRouteStatus(routeId)).isEqualTo(ServiceStatus.Started);
            JolokiaClient.value(exec(route(routeId), "suspend()"));
            JolokiaClient.value(exec(route(routeId), "resume()"));
            JolokiaClient.value(exec(route(routeId), "reset(boolean)", true));
        } finally {
            if (camelContext.getRouteController().getRouteStatus(routeId) != ServiceStatus.Started) {
                exec(route(routeId), "start()");
            }
        }
        assertThat(camelContext.getRouteController().getRouteStatus(routeId)).isEqualTo(ServiceStatus.Started);

        // And the gateway's own operations answer (their effects: JolokiaOperationsTest), nothing held here
        guard.clear();
        assertThat(exec(DeadLetters.OBJECT_NAME, "replay()")).containsEntry("status", 200);
        assertThat(JolokiaClient.value(exec("io.sophonsight.gateway:type=HrSync,name=DeletionGuard", "confirmHeldDeletes()")))
                .isNotNull();
        assertThat(JolokiaClient.value(jolokia.read(HrSyncOperations.OBJECT_NAME, "Running"))).isNotNull();
    }
}
