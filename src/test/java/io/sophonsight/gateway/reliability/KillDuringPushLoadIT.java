package io.sophonsight.gateway.reliability;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.sophonsight.gateway.testkit.GatewayProcess;
import io.sophonsight.gateway.testkit.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of the packaged gateway in the middle of a push load. Several clients push distinct access
 * records (each its own person and pass time) and remember every push answered 200 SUCCESS; the process is
 * killed without warning; it is started again on the same data folder. Then every acknowledged pass is in
 * {@code access_record} exactly once, and the fan-out of the events acknowledged before the kill completes
 * after the restart (none stays PENDING, none is given up).
 *
 * <p>The gateway's H2 database runs with {@code AUTO_SERVER=TRUE} so this test can read it while the gateway
 * runs (the same engine and files as the default, shared over a local socket); with {@code -Ppostgres} the
 * gateway runs on a PostgreSQL schema of its own. Sizes:
 * {@code -Dreliability.kill.clients=4}, {@code -Dreliability.kill.acks-before-kill=300}.
 */
class KillDuringPushLoadIT {

    private static final String KEY = "kill-during-push-" + Long.toHexString(System.nanoTime());

    @Test
    void everyPushAcknowledgedBeforeAKillIsStoredExactlyOnceAndFannedOutAfterTheRestart() throws Exception {
        int clients = ReliabilityReport.size("reliability.kill.clients", 4);
        int acksBeforeKill = ReliabilityReport.size("reliability.kill.acks-before-kill", 300);

        // Given the packaged gateway on its embedded defaults, only the push receivers and the fan-out busy
        // (with -Ppostgres on a PostgreSQL schema of its own; on H2 shared over AUTO_SERVER so the test can read it)
        GatewayProcess gateway = GatewayProcess.gateway("kill-during-push");
        TestDatabase database = gateway.readableWhileRunning();
        gateway.env("GATEWAY_PUSH_KEY", KEY)
                // the compaction of the H2 file rewrites chunks all through the load: the kill may land mid-rewrite
                .env("GATEWAY_H2_COMPACTION_INTERVAL", "1s")
                .env("GATEWAY_H2_COMPACTION_TARGET_FILL_RATE", "100")
                .withoutSchedules();
        try (gateway) {
            Duration firstStart = gateway.start().awaitReady(Duration.ofSeconds(240));

            // When clients push distinct passes, and the gateway is killed (SIGKILL) once enough are acknowledged
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger failedBeforeKill = new AtomicInteger();
            AtomicInteger failedAtKill = new AtomicInteger();
            AtomicBoolean killed = new AtomicBoolean();
            AtomicLong passTime = new AtomicLong(System.currentTimeMillis() - Duration.ofDays(1).toMillis());
            CountDownLatch enoughAcks = new CountDownLatch(acksBeforeKill);
            List<Thread> load = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                String client = "K" + c;
                Thread thread = new Thread(() -> {
                    for (int n = 0; ; n++) {
                        String person = client + "-" + n;
                        long time = passTime.incrementAndGet();
                        String json = "{\"userId\":\"" + person + "\",\"userName\":\"Load " + person + "\",\"userType\":\"MEMBER\","
                                + "\"matchScore\":0.93,\"crossTime\":" + time + ",\"deviceId\":\"BOX-KILL\",\"cameraId\":\"CAM-1\"}";
                        boolean wasKilled = killed.get();
                        sent.incrementAndGet();
                        try {
                            HttpResponse<String> answer = gateway.post("/sophonsight/access-records?key=" + KEY, json);
                            if (answer.statusCode() == 200 && answer.body().contains("SUCCESS")) {
                                acknowledged.add(person + "|" + time);
                                enoughAcks.countDown();
                                continue;
                            }
                        } catch (IOException e) {
                            // connection refused or reset: the process is gone
                        }
                        if (wasKilled || killed.get()) {
                            failedAtKill.incrementAndGet();
                            return; // the platform would retry later; this client stops here
                        }
                        failedBeforeKill.incrementAndGet();
                    }
                }, "push-client-" + c);
                thread.start();
                load.add(thread);
            }
            assertThat(enoughAcks.await(90, TimeUnit.SECONDS)).as("acknowledgements before the kill").isTrue();
            killed.set(true);
            gateway.kill();
            for (Thread client : load) {
                client.join(60_000);
            }
            int acknowledgedCount = acknowledged.size();

            // And it is started again on the same data folder
            long restartedAt = System.nanoTime();
            Duration restart = gateway.restart().awaitReady(Duration.ofSeconds(240));

            // Then the fan-out finishes the events acknowledged before the kill: none stays PENDING
            try (Connection db = database.connect()) {
                await("fan-out after the restart").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .until(() -> count(db, "SELECT COUNT(*) FROM access_event WHERE fanout_status = 'PENDING'") == 0);
            }
            Duration toRecover = Duration.ofNanos(System.nanoTime() - restartedAt);

            // And, read after a clean stop: every acknowledged pass is in access_record exactly once
            gateway.stop();
            Map<String, Integer> rows = new HashMap<>();
            int dead;
            int events;
            try (Connection db = database.connect();
                 Statement sql = db.createStatement();
                 ResultSet rs = sql.executeQuery("SELECT person_id, pass_time FROM access_record WHERE box_id = 'BOX-KILL'")) {
                while (rs.next()) {
                    rows.merge(rs.getString(1) + "|" + rs.getTimestamp(2).getTime(), 1, Integer::sum);
                }
                dead = count(db, "SELECT COUNT(*) FROM access_event WHERE fanout_status = 'DEAD'");
                events = count(db, "SELECT COUNT(*) FROM access_event");
            }
            List<String> missing = acknowledged.stream().filter(key -> !rows.containsKey(key)).sorted().toList();
            long duplicates = rows.values().stream().filter(n -> n > 1).count();
            long unacknowledgedStored = rows.keySet().stream().filter(key -> !acknowledged.contains(key)).count();
            assertThat(missing).as("acknowledged passes missing after the restart").isEmpty();
            assertThat(duplicates).as("passes stored more than once").isZero();
            assertThat(dead).as("events the fan-out gave up on").isZero();
            assertThat(rows).hasSize(events);

            ReliabilityReport.of("KillDuringPushLoadIT", "kill -9 during a push load",
                            "The packaged gateway is killed (SIGKILL) while " + clients + " clients push; after a restart on "
                                    + "the same data folder every acknowledged pass is in `access_record` exactly once.")
                    .table("figure", "value")
                    .row("pushes sent", sent.get())
                    .row("acknowledged (200 SUCCESS)", acknowledgedCount)
                    .row("failed before the kill", failedBeforeKill.get())
                    .row("failed at the kill (in flight or refused)", failedAtKill.get())
                    .row("rows in access_record after the restart", rows.size())
                    .row("of which stored but never acknowledged (answer lost in the kill)", unacknowledgedStored)
                    .row("duplicates", duplicates)
                    .row("missing (acknowledged, not stored)", missing.size())
                    .row("events left PENDING / DEAD", "0 / " + dead)
                    .row("first start to ready", firstStart)
                    .row("restart to ready", restart)
                    .row("restart to fan-out complete (time to recover)", toRecover)
                    .write();
        }
    }

    private static int count(Connection db, String query) throws SQLException {
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
