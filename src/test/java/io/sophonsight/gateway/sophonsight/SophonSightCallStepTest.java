package io.sophonsight.gateway.sophonsight;

import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.simulator.SimulatorFaults;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared call step {@code direct:sophonsight-call} against the built-in simulator over real HTTP.
 * Doubles as an example of calling the platform from a flow.
 */
class SophonSightCallStepTest extends GatewayTestSupport {

    private static final String ADD_DEPT = "/openapi/v1/syncdept/addOrEdit";

    @Autowired
    private MeterRegistry meters;

    private double lostAnswers(String path) {
        Counter counter = meters.find("gateway.platform.answers.lost").tag("path", path).counter();
        return counter == null ? 0 : counter.count();
    }

    private Object call(String path, Map<String, ?> fields) {
        return producer.requestBodyAndHeader("direct:sophonsight-call", fields, SophonSightSigner.PATH_HEADER, path);
    }

    private static Map<String, Object> dept(String thirdId, String name, String parent) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("thirdId", thirdId);
        fields.put("thirdParentId", parent);
        return fields;
    }

    @Test
    void successfulCallReturnsTheEnvelopesData() {
        // Given an empty platform
        // When the gateway adds a top-level department through the call step
        Object data = call(ADD_DEPT, dept("D-1", "人力资源部", ""));

        // Then the body is the envelope's data, and the platform holds the department
        assertThat(data).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) data).get("id")).isNotNull();
        assertThat(simulator.state().org("D-1").name()).isEqualTo("人力资源部");
    }

    @Test
    void callerKeepsItsOwnHeadersAcrossTheCall() {
        // Given a flow that carries its own header into the call step
        Exchange reply = producer.request("direct:sophonsight-call", exchange -> {
            exchange.getMessage().setHeader(SophonSightSigner.PATH_HEADER, ADD_DEPT);
            exchange.getMessage().setHeader("HrRowId", "row-42");
            exchange.getMessage().setBody(dept("D-2", "Finance", ""));
        });

        // Then the header survives, and the body is the platform's data
        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getHeader("HrRowId")).isEqualTo("row-42");
        assertThat(reply.getMessage().getBody(Map.class)).containsKey("id");
    }

    @Test
    void businessErrorIsTypedAndNotRetried() {
        // Given a department whose parent does not exist on the platform
        // When it is sent
        assertThatThrownBy(() -> call(ADD_DEPT, dept("D-3", "Orphan", "NO-SUCH-PARENT")))
                // Then the flow gets a typed business error with path, status and message
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOfSatisfying(SophonSightBusinessException.class, e -> {
                    assertThat(e.getPath()).isEqualTo(ADD_DEPT);
                    assertThat(e.getStatus()).isNotZero();
                    assertThat(e.getPlatformMessage()).contains("NO-SUCH-PARENT");
                });
        // And the platform was called exactly once
        assertThat(simulator.state().calls(ADD_DEPT)).isEqualTo(1);
    }

    @Test
    void callersOwnErrorHandlingSeesTheTypedErrorAfterTheCallStepGaveUp() throws Exception {
        // Given a flow whose route-level onException handles refusals (as a routeConfiguration would)
        camelContext.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:caller-with-own-error-handling").routeId("test-caller-with-own-error-handling")
                        .onException(SophonSightBusinessException.class).handled(true)
                            .setBody(simple("handled by caller: ${exception.status}")).end()
                        .onException(SophonSightUnavailableException.class).handled(true)
                            .setBody(simple("caller saw unavailable: ${exception.path}")).end()
                        .to("direct:sophonsight-call");
            }
        });
        try {
            // When the call step is refused by the platform
            Object refused = producer.requestBodyAndHeader("direct:caller-with-own-error-handling",
                    dept("D-8", "Orphan", "NO-SUCH-PARENT"), SophonSightSigner.PATH_HEADER, ADD_DEPT);
            // Then the caller's handler ran (not swallowed as "already handled" by the call step)
            assertThat(refused).isEqualTo("handled by caller: " + io.sophonsight.gateway.simulator.SimulatedOpenApi.PARENT_NOT_FOUND);

            // And the same holds after the call step exhausted its retries on an unavailable platform
            simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, ADD_DEPT, 0, -1, 503, 0,
                    null, 0, null, null));
            Object unavailable = producer.requestBodyAndHeader("direct:caller-with-own-error-handling",
                    dept("D-9", "Lab", ""), SophonSightSigner.PATH_HEADER, ADD_DEPT);
            assertThat(unavailable).isEqualTo("caller saw unavailable: " + ADD_DEPT);
        } finally {
            camelContext.getRouteController().stopRoute("test-caller-with-own-error-handling");
            camelContext.removeRoute("test-caller-with-own-error-handling");
        }
    }

    @Test
    void serverErrorIsRetriedThenSucceeds() {
        // Given a platform that answers HTTP 503 twice, then recovers
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, ADD_DEPT, 0, 2, 503, 0,
                null, 0, null, null));

        // When a department is sent
        Object data = call(ADD_DEPT, dept("D-4", "Security", ""));

        // Then the third attempt succeeded and nothing is lost
        assertThat(((Map<?, ?>) data).get("id")).isNotNull();
        assertThat(simulator.state().calls(ADD_DEPT)).isEqualTo(3);
        assertThat(simulator.state().org("D-4")).isNotNull();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "HTTP {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {500, 503})
    void persistentServerErrorIsRetriedThenFailsAsUnavailable(int httpStatus) {
        // Given a platform that keeps answering a server error
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, ADD_DEPT, 0, -1, httpStatus, 0,
                null, 0, null, null));

        // When a department is sent, Then after exactly 1 + 3 attempts (no hidden HTTP-client retries)
        // the flow gets the typed unavailable error
        assertThatThrownBy(() -> call(ADD_DEPT, dept("D-5", "Lab", "")))
                .cause().isInstanceOfSatisfying(SophonSightUnavailableException.class, e -> {
                    assertThat(e.getPath()).isEqualTo(ADD_DEPT);
                    assertThat(e.getStatus()).isEqualTo(httpStatus);
                });
        assertThat(simulator.state().calls(ADD_DEPT)).isEqualTo(4);
    }

    @Test
    void droppedConnectionIsRetried() {
        // Given a platform that drops the connection once without answering
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.DROP, ADD_DEPT, 0, 1, 0, 0,
                null, 0, null, null));

        // When a department is sent, Then the retry delivers it
        call(ADD_DEPT, dept("D-6", "Reception", ""));
        assertThat(simulator.state().calls(ADD_DEPT)).isEqualTo(2);
        assertThat(simulator.state().org("D-6")).isNotNull();
    }

    @Test
    void lostAnswerOfARepeatableCallIsCountedAndRetriedWithoutCreatingTwice() {
        // Given a platform that applies the next addOrEdit and then drops the connection without an answer
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.APPLY_THEN_DROP, ADD_DEPT, 0, 1, 0, 0,
                null, 0, null, null));
        double lostBefore = lostAnswers(ADD_DEPT);

        // When a department is sent (addOrEdit by thirdId: a repeat edits the same department)
        Object data = call(ADD_DEPT, dept("D-10", "Canteen", ""));

        // Then the retry got the answer, the platform holds one department, and the lost answer is counted
        assertThat(((Number) ((Map<?, ?>) data).get("id")).longValue()).isEqualTo(simulator.state().org("D-10").id());
        assertThat(simulator.state().calls(ADD_DEPT)).isEqualTo(2);
        assertThat(simulator.state().orgs()).hasSize(1);
        assertThat(lostAnswers(ADD_DEPT) - lostBefore).isEqualTo(1.0);
    }

    @Test
    void lostAnswerIsNotSentAgainWhenTheCallerForbidsARepeat() {
        // Given a platform that applies the next call and then drops the connection
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.APPLY_THEN_DROP, ADD_DEPT, 0, 1, 0, 0,
                null, 0, null, null));

        // When a caller that must not repeat the call (SophonSightRepeatIfAnswerLost = false) sends it
        assertThatThrownBy(() -> producer.requestBodyAndHeaders("direct:sophonsight-call", dept("D-11", "Garage", ""),
                Map.of(SophonSightSigner.PATH_HEADER, ADD_DEPT, "SophonSightRepeatIfAnswerLost", false)))
                // Then it gets the typed "answer lost" failure after the one call that was applied
                .cause().isInstanceOfSatisfying(SophonSightAnswerLostException.class, e -> {
                    assertThat(e.getPath()).isEqualTo(ADD_DEPT);
                    assertThat(e.getMessage()).contains("may have been applied");
                });
        assertThat(simulator.state().calls(ADD_DEPT)).isEqualTo(1);
        assertThat(simulator.state().org("D-11")).isNotNull();
    }

    @Test
    void gatewayTimeoutFromAProxyIsALostAnswerButOtherServerErrorsAreNot() {
        // Given a proxy in front of the platform that answers 504 (it gave up waiting for the platform)
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, ADD_DEPT, 0, 1, 504, 0,
                null, 0, null, null));
        double lostBefore = lostAnswers(ADD_DEPT);

        // When a call that must not be repeated is sent, Then it fails as a lost answer, not sent again
        assertThatThrownBy(() -> producer.requestBodyAndHeaders("direct:sophonsight-call", dept("D-12", "Dock", ""),
                Map.of(SophonSightSigner.PATH_HEADER, ADD_DEPT, "SophonSightRepeatIfAnswerLost", false)))
                .cause().isInstanceOfSatisfying(SophonSightAnswerLostException.class,
                        e -> assertThat(e.getStatus()).isEqualTo(504));
        assertThat(simulator.state().calls(ADD_DEPT)).isEqualTo(1);
        assertThat(lostAnswers(ADD_DEPT) - lostBefore).isEqualTo(1.0);

        // And a 503 (the platform said it did not take the call) is retried as before, even for such a caller
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, ADD_DEPT, 0, 1, 503, 0,
                null, 0, null, null));
        producer.requestBodyAndHeaders("direct:sophonsight-call", dept("D-13", "Dock", ""),
                Map.of(SophonSightSigner.PATH_HEADER, ADD_DEPT, "SophonSightRepeatIfAnswerLost", false));
        assertThat(simulator.state().org("D-13")).isNotNull();
        assertThat(lostAnswers(ADD_DEPT) - lostBefore).isEqualTo(1.0);
    }

    @Test
    void connectionRefusedIsRetriedThenFailsWithoutLeakingSecretOrToken() throws Exception {
        // Given a platform address where nothing listens, and the call step's logs captured
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        String deadUrl = "http://localhost:" + deadPort;
        AdviceWith.adviceWith(camelContext, "sophonsight-exchange", advice ->
                advice.weaveById("sophonsight-http-uri").after()
                        .setHeader(Exchange.HTTP_URI, org.apache.camel.builder.Builder.simple(deadUrl + "${header.SophonSightPath}")));
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try {
            // When a call is made
            assertThatThrownBy(() -> call(ADD_DEPT, dept("D-7", "Nowhere", "")))
                    // Then it fails as unavailable after the retries
                    .cause().isInstanceOfSatisfying(SophonSightUnavailableException.class, e -> {
                        assertThat(e.getStatus()).isEqualTo(-1);
                        // never sent, so certainly not applied: not a lost answer
                        assertThat(e).isNotInstanceOf(SophonSightAnswerLostException.class);
                    });
        } finally {
            root.detachAppender(logs);
            AdviceWith.adviceWith(camelContext, "sophonsight-exchange", advice ->
                    advice.weaveByToString(".*" + deadPort + ".*").remove());
        }

        // And the retries were logged, but no log line carries the secret or an unmasked token
        List<String> lines = logs.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).toList();
        assertThat(lines).anyMatch(line -> line.contains("sophonsight") || line.contains("SophonSight"));
        String secret = camelContext.getRegistry().lookupByNameAndType("sophonSightCredentials", SophonSightCredentials.class).secret();
        assertThat(lines).noneMatch(line -> line.contains(secret));
        assertThat(lines).noneMatch(line -> line.matches("(?s).*token=[0-9A-F]{32}.*"));
    }
}
