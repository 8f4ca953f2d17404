package io.sophonsight.gateway.monitoring;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.sophonsight.gateway.deadletters.DeadLetters;
import io.sophonsight.gateway.hr.HrDeletionGuard;
import io.sophonsight.gateway.hr.HrSampleData;
import io.sophonsight.gateway.hr.HrSyncOperations;
import io.sophonsight.gateway.hr.HrSyncRuns;
import io.sophonsight.gateway.push.PushTestSupport;
import io.sophonsight.gateway.simulator.SimulatorFaults;
import org.jolokia.support.spring.SpringJolokiaAgent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The managed operations an operator runs over Jolokia (JMX over HTTP, as hawtio and curl do), each proven
 * by its effect: a full HR reconciliation recorded in sync_run, dead letters replayed into the fan-out, held
 * HR deletes confirmed and then performed. Also: Camel's route MBeans are readable by route id, and the access
 * policy refuses what it does not list.
 */
class JolokiaOperationsTest extends PushTestSupport {

    private static final String DEAD_LETTERS = DeadLetters.OBJECT_NAME;
    private static final String GUARD = "io.sophonsight.gateway:type=HrSync,name=DeletionGuard";
    private static final String HR_OPERATIONS = HrSyncOperations.OBJECT_NAME;
    private static final AtomicLong PASS_TIME = new AtomicLong(1_650_000_000_000L + (System.nanoTime() % 1_000_000) * 1000);

    @Autowired
    private SpringJolokiaAgent jolokiaAgent;

    @Autowired
    @Qualifier("hrDataSource")
    private DataSource hrDataSource;

    @Autowired
    private HrSampleData hrSample;

    @Autowired
    private HrDeletionGuard guard;

    @Autowired
    private HrSyncRuns runs;

    private JolokiaClient jolokia;

    @BeforeEach
    void jolokiaOfThisGateway() {
        jolokia = new JolokiaClient(jolokiaAgent.getUrl());
    }

    private static String route(String routeId) {
        return "org.apache.camel:context=sophonsight-gateway,type=routes,name=\"" + routeId + "\"";
    }

    @Test
    void replayingDeadLettersOverJolokiaPutsTheGivenUpEventBackIntoTheFanOut() {
        // Given an access event whose fan-out gave up, as the fan-out leaves it: DEAD, with a dead letter naming it
        long passTime = PASS_TIME.addAndGet(1000);
        assertThat(push(ACCESS_PATH, """
                {"userId": "E-JOLOKIA", "userType": "MEMBER", "crossTime": %d, "deviceId": "BOX-J", "cameraId": "CAM-J"}
                """.formatted(passTime)).statusCode()).isEqualTo(200);
        awaitRecord("E-JOLOKIA", passTime);
        long eventId = ((Number) eventRow("E-JOLOKIA", passTime).get("id")).longValue();
        jdbc.update("UPDATE access_event SET fanout_status = 'DEAD', fanout_attempts = 3 WHERE id = ?", eventId);
        jdbc.update("INSERT INTO dead_letter (flow, reason, payload_ref, attempts) VALUES ('access-event-fanout', ?, ?, 3)",
                "queue unavailable (test)", Long.toString(eventId));
        long replaysBefore = ((Number) JolokiaClient.value(jolokia.read(route("dead-letter-replay"), "ExchangesTotal"))).longValue();

        // When an operator invokes replay() on the DeadLetters MBean over Jolokia
        Object replayed = JolokiaClient.value(jolokia.exec(DEAD_LETTERS, "replay"));

        // Then the event is fanned out again and its dead letter is marked replayed
        assertThat(((Number) replayed).intValue()).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> "DONE".equals(eventRow("E-JOLOKIA", passTime).get("fanout_status")));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter WHERE flow = 'access-event-fanout' "
                + "AND payload_ref = ? AND replayed_at IS NOT NULL", Integer.class, Long.toString(eventId))).isEqualTo(1);
        // And it went through the one replay route, whose Camel MBean (named by route id) counted the exchange
        assertThat(((Number) JolokiaClient.value(jolokia.read(route("dead-letter-replay"), "ExchangesTotal"))).longValue())
                .isEqualTo(replaysBefore + 1);
    }

    @Test
    void heldHrDeletesAreConfirmedAndAFullReconciliationIsStartedOverJolokia() {
        // Given the HR sample on the platform, then a third of the people gone from HR: the deletes are held
        await().atMost(Duration.ofSeconds(60)).until(() -> runs.active() == null);
        JdbcTemplate hr = new JdbcTemplate(hrDataSource);
        hrSample.reset(hrDataSource);
        jdbc.update("DELETE FROM sync_state");
        guard.clear();
        guard.setThresholdPercent(20);
        long runsBefore = fullRunsCompleted();
        assertThat(JolokiaClient.value(jolokia.exec(HR_OPERATIONS, "runFullReconciliation")).toString()).contains("started");
        long firstRun = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(this::fullRunsCompleted, n -> n > runsBefore);
        assertThat(simulator.state().people()).hasSize(hr.queryForObject("SELECT COUNT(*) FROM employee", Integer.class));
        hr.update("DELETE FROM employee WHERE id IN (SELECT id FROM employee ORDER BY id FETCH FIRST 60 ROWS ONLY)");
        JolokiaClient.value(jolokia.exec(HR_OPERATIONS, "runFullReconciliation"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(this::fullRunsCompleted, n -> n > firstRun);
        assertThat(JolokiaClient.value(jolokia.read(GUARD, "HeldPersonDeletes"))).isEqualTo(60);
        assertThat(JolokiaClient.value(jolokia.read(HR_OPERATIONS, "LastRun")).toString()).contains("held=60");
        int peopleOnPlatform = simulator.state().people().size();

        // When an operator confirms the held deletes and starts a full reconciliation, both over Jolokia
        assertThat(JolokiaClient.value(jolokia.exec(GUARD, "confirmHeldDeletes")).toString()).contains("Confirmed 60");
        long beforeConfirmedRun = fullRunsCompleted();
        assertThat(JolokiaClient.value(jolokia.exec(HR_OPERATIONS, "runFullReconciliation")).toString()).contains("started");

        // Then that run is recorded in sync_run with the 60 deletes, and the platform lost exactly those people
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(this::fullRunsCompleted, n -> n > beforeConfirmedRun);
        Map<String, Object> last = jdbc.queryForMap("SELECT status, deleted, held FROM sync_run WHERE mode = 'FULL' "
                + "AND dry_run = FALSE ORDER BY id DESC FETCH FIRST 1 ROWS ONLY");
        assertThat(last).containsEntry("status", "COMPLETED").containsEntry("deleted", 60).containsEntry("held", 0);
        assertThat(simulator.state().people()).hasSize(peopleOnPlatform - 60);
        assertThat(JolokiaClient.value(jolokia.read(GUARD, "HeldPersonDeletes"))).isEqualTo(0);
    }

    @Test
    void aSecondReconciliationWhileOneRunsIsRefusedWithTheRunningOne() {
        // Given a full run going (started directly, as the schedule would)
        await().atMost(Duration.ofSeconds(60)).until(() -> runs.active() == null);
        hrSample.reset(hrDataSource);
        jdbc.update("DELETE FROM sync_state");
        guard.clear();
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.DELAY, "/openapi/v1/syncdept/addOrEdit",
                0, 1, 0, 0, null, 1500, null, null));
        producer.asyncRequestBodyAndHeader("direct:hr-sync-run", null, "HrSyncMode", "FULL");
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.active() != null);

        // When an operator asks for a full reconciliation
        String answer = JolokiaClient.value(jolokia.exec(HR_OPERATIONS, "runFullReconciliation")).toString();

        // Then it is not started twice: the answer names the run that is going
        assertThat(answer).startsWith("Not started: another run is still going").contains("(FULL)");
        assertThat(JolokiaClient.value(jolokia.read(HR_OPERATIONS, "Running")).toString()).contains("FULL");
        await().atMost(Duration.ofSeconds(60)).until(() -> runs.active() == null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePolicyAllowsCamelAndTheGatewayOperationsButNothingElse() {
        // Given the gateway's Jolokia policy (jolokia-access.xml)
        // Then a search lists exactly the gateway's four documented MBeans, each once
        assertThat((java.util.List<Object>) JolokiaClient.value(jolokia.send(Map.of("type", "search", "mbean", "io.sophonsight.gateway:*"))))
                .containsExactlyInAnyOrder("io.sophonsight.gateway:type=DeadLetters",
                        "io.sophonsight.gateway:name=DeletionGuard,type=HrSync", "io.sophonsight.gateway:name=Operations,type=HrSync",
                        "io.sophonsight.gateway:type=Cluster");
        // and which replica leads can be read (mode none: this process)
        assertThat(JolokiaClient.value(jolokia.read("io.sophonsight.gateway:type=Cluster", "Leader"))).isEqualTo(true);
        // Then Camel's MBeans and the gateway's attributes can be read, and the documented threshold written
        assertThat(JolokiaClient.value(jolokia.read(route("access-record-push"), "RouteId"))).isEqualTo("access-record-push");
        assertThat(JolokiaClient.value(jolokia.read(GUARD, "ThresholdPercent"))).isNotNull();
        assertThat(jolokia.write(GUARD, "ThresholdPercent", 20.0)).containsEntry("status", 200);
        // And the JVM can be watched read-only
        assertThat(JolokiaClient.value(jolokia.read("java.lang:type=Memory", "HeapMemoryUsage"))).isNotNull();

        // But nothing outside the list can be read, written or invoked
        assertThat(jolokia.read("java.lang:type=Runtime", "SystemProperties")).containsEntry("status", 403);
        assertThat(jolokia.exec("java.lang:type=Memory", "gc")).containsEntry("status", 403);
        assertThat(jolokia.write("java.lang:type=Memory", "Verbose", true)).containsEntry("status", 403);
        assertThat(jolokia.read("org.apache.activemq.artemis:broker=\"*\"", "Version")).containsEntry("status", 403);
        // And the agent never proxies to another JMX server: a request naming one (here a closed port, where a
        // proxied read would fail) is answered from this JVM, under this policy
        Map<String, Object> proxied = jolokia.send(Map.of("type", "read", "mbean", "java.lang:type=Memory",
                "attribute", "HeapMemoryUsage", "target", Map.of("url", "service:jmx:rmi:///jndi/rmi://127.0.0.1:1/jmxrmi")));
        assertThat(proxied).containsEntry("status", 200);
        Map<String, Object> proxiedDenied = jolokia.send(Map.of("type", "exec", "mbean", "java.lang:type=Memory",
                "operation", "gc", "target", Map.of("url", "service:jmx:rmi:///jndi/rmi://127.0.0.1:1/jmxrmi")));
        assertThat(proxiedDenied).containsEntry("status", 403);
    }

    private long fullRunsCompleted() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM sync_run WHERE mode = 'FULL' AND dry_run = FALSE "
                + "AND ended_at IS NOT NULL", Long.class);
        return n == null ? 0 : n;
    }
}
