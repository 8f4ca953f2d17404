package io.sophonsight.gateway.hr;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.integration.util.UUIDConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One HR sync run at a time across replicas: a run holds the lock row {@code hr-sync-run} in the shared
 * {@code int_lock} table. Here another replica's run is that row, written as the other replica would.
 */
class HrSyncAcrossReplicasTest extends HrSyncTestSupport {

    private static final String RUN_LOCK_KEY = UUIDConverter.getUUID("hr-sync-run").toString();

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    HrSyncOperations operations;

    @AfterEach
    void noOtherReplica() {
        gateway.update("DELETE FROM int_lock WHERE lock_key = ?", RUN_LOCK_KEY);
    }

    @Test
    void whileAnotherReplicaRunsTheSyncARunOverRestIsRefusedWith409AndAScheduledRunSkips() throws Exception {
        // Given another replica (replica-b) in the middle of an HR sync run: its lock row was renewed just now
        otherReplicaHoldsTheRun(LocalDateTime.now(ZoneOffset.UTC));

        // When an operator asks this replica for a run
        HttpResponse<String> answer = post("/api/hr-sync/run?mode=FULL");

        // Then it is refused with 409 and a reason naming where the run is going
        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("json"));
        assertThat(answer.body()).contains("already going on another replica (replica-b)");
        // and so is the JMX operation
        assertThat(operations.runFullReconciliation())
                .isEqualTo("Not started: another run is still going - an HR sync run is already going on another replica"
                        + " (replica-b); try again when it has ended");
        // and a schedule firing meanwhile skips its run: nothing reaches the platform
        assertThat(run("FULL")).isNull();
        assertThat(calls(PERSON_ADD)).isZero();
        assertThat(runs.active()).isNull();
    }

    @Test
    void aRunOfAReplicaThatDiedNoLongerBlocksOnceItsLockExpired() throws Exception {
        // Given the lock row of a replica killed mid-run an hour ago (never renewed since)
        otherReplicaHoldsTheRun(LocalDateTime.now(ZoneOffset.UTC).minusHours(1));

        // When an operator asks for a run
        HttpResponse<String> answer = post("/api/hr-sync/run?mode=FULL");

        // Then it runs here, and releases the lock when it ends
        assertThat(answer.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> simulator.state().people().size() == 200 && runs.active() == null);
        assertThat(gateway.queryForObject("SELECT COUNT(*) FROM int_lock WHERE lock_key = ?", Integer.class, RUN_LOCK_KEY))
                .isZero();
    }

    private void otherReplicaHoldsTheRun(LocalDateTime renewedAt) {
        gateway.update("INSERT INTO int_lock (lock_key, region, client_id, created_date) VALUES (?, 'sophonsight-gateway', 'replica-b', ?)",
                RUN_LOCK_KEY, Timestamp.valueOf(renewedAt));
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(adminRequest(path).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
