package io.sophonsight.gateway.events;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.sophonsight.gateway.push.PushTestSupport;
import io.sophonsight.gateway.simulator.SimulatorPusher;
import io.sophonsight.gateway.simulator.SimulatorReadings;
import io.sophonsight.gateway.simulator.SimulatorState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pass learned by push and by query is one row, under each reading of what the platform's docs
 * leave open (issue 15): the push's {@code userId} is ours ({@code thirdUserId}) or the platform's own
 * ({@code userId}); the push's {@code crossTime} is the pass time or a report time up to 2 s later.
 * The simulator plays each reading ({@link SimulatorReadings}); the gateway is not told which.
 *
 * <p>Polls run through {@code direct:access-record-poll}; every test starts with no watermark, so a
 * poll reads the simulator's records of this test only (its state is reset before each test).
 */
class CrossSourceIdentityTest extends PushTestSupport {

    private static final long MINUTE = 60_000L;

    /** The readings the platform may take, alone and together. */
    enum Reading {
        DOCUMENTED_ONE(false, 0),
        PLATFORM_USER_ID(true, 0),
        CROSS_TIME_REPORTED_LATER(false, 2_000),
        BOTH(true, 2_000);

        final boolean platformUserId;
        final long lagMs;

        Reading(boolean platformUserId, long lagMs) {
            this.platformUserId = platformUserId;
            this.lagMs = lagMs;
        }
    }

    private Timestamp testStart;

    @BeforeEach
    void noWatermark() {
        testStart = new Timestamp(System.currentTimeMillis() - 1);
        jdbc.update("UPDATE access_record_watermark SET watermark_ms = NULL, last_failure = NULL");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Reading.class)
    void aPassLearnedByPushAndByQueryIsOneRowAndNoRecordIsLostOrDoubled(Reading reading) {
        // Given a platform that takes this reading
        simulator.readings().pushPlatformUserId(reading.platformUserId).pushCrossTimeLagMs(reading.lagMs);
        // And passes it pushed: employees in both forms, VIP, blacklist, visitors, strangers (form P names their face)
        SimulatorPusher pusher = simulator.pusher();
        List<SimulatorPusher.PushResult> pushes = new ArrayList<>();
        pushes.addAll(pusher.pushAccess("P", "MEMBER", 4, false, null));
        pushes.addAll(pusher.pushAccess("B", "MEMBER", 3, false, null));
        pushes.addAll(pusher.pushAccess("P", "VIP", 2, false, null));
        pushes.addAll(pusher.pushAccess("P", "BLACKLIST", 1, false, null));
        pushes.addAll(pusher.pushAccess("P", "VISITOR", 2, true, null));
        pushes.addAll(pusher.pushAccess("P", "STRANGER", 2, true, null));
        assertThat(pushes).allSatisfy(p -> assertThat(p.httpStatus()).isEqualTo(200));
        // And passes it holds but never pushed
        long now = System.currentTimeMillis();
        pusher.generateRecords("MEMBER", 3, now - 20 * MINUTE, now - 15 * MINUTE);
        pusher.generateRecords("VISITOR", 2, now - 20 * MINUTE, now - 15 * MINUTE);
        pusher.generateRecords("STRANGER", 2, now - 20 * MINUTE, now - 15 * MINUTE);

        // When one poll of each kind runs
        Map<String, Object> employees = poll("employee");
        Map<String, Object> visitors = poll("visitor");
        Map<String, Object> strangers = poll("stranger");

        // Then every pushed pass is recognised, and only the unpushed ones are added
        assertThat(employees).containsEntry("status", "COMPLETED").containsEntry("stored", 3).containsEntry("duplicates", 10);
        assertThat(visitors).containsEntry("status", "COMPLETED").containsEntry("stored", 2).containsEntry("duplicates", 2);
        assertThat(strangers).containsEntry("status", "COMPLETED").containsEntry("stored", 2).containsEntry("duplicates", 2);
        // And there is one row per pass: 14 pushed (each also known to the query now) + 7 only queried
        assertThat(count("SELECT COUNT(*) FROM access_event WHERE received_at >= ?", testStart)).isEqualTo(21);
        assertThat(count("SELECT COUNT(*) FROM access_event WHERE received_at >= ? AND push_key IS NOT NULL "
                + "AND query_key IS NOT NULL", testStart)).isEqualTo(14);
        // And every record the platform holds is there once, under its own id where it has one
        List<String> recordIds = recordIds("employee", "visitor");
        assertThat(recordIds).hasSize(17);
        assertThat(jdbc.queryForList("SELECT record_id FROM access_event WHERE received_at >= ? AND record_id IS NOT NULL",
                String.class, testStart)).containsExactlyInAnyOrderElementsOf(recordIds);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Reading.class)
    void aPassQueriedFirstAndPushedLaterIsOneRow(Reading reading) {
        // Given a platform that takes this reading, whose pushes arrive only after the query has read the passes
        simulator.readings().pushPlatformUserId(reading.platformUserId).pushCrossTimeLagMs(reading.lagMs);
        List<Map<String, Object>> payloads = new ArrayList<>();
        for (String type : List.of("MEMBER", "MEMBER", "VIP", "VISITOR", "STRANGER")) {
            payloads.add(simulator.pusher().accessEvent("P", type, "STRANGER".equals(type), System.currentTimeMillis()));
        }
        payloads.add(simulator.pusher().accessEvent("B", "MEMBER", false, System.currentTimeMillis()));
        assertThat(poll("employee")).containsEntry("stored", 4);
        assertThat(poll("visitor")).containsEntry("stored", 1);
        assertThat(poll("stranger")).containsEntry("stored", 1);

        // When the pushes arrive, and arrive again (the platform resends)
        for (int round = 0; round < 2; round++) {
            for (Map<String, Object> payload : payloads) {
                assertThat(push(ACCESS_PATH, toJson(payload)).statusCode()).isEqualTo(200);
            }
        }

        // Then each pass is still one row, now known to both sources
        assertThat(count("SELECT COUNT(*) FROM access_event WHERE received_at >= ?", testStart)).isEqualTo(6);
        assertThat(count("SELECT COUNT(*) FROM access_event WHERE received_at >= ? AND push_key IS NOT NULL "
                + "AND query_key IS NOT NULL", testStart)).isEqualTo(6);
    }

    @Test
    void pushesAndPollsRunningAtTheSameTimeStoreEachPassOnce() throws Exception {
        // Given a platform whose pushes carry its own person ids and report times up to 2 s late
        simulator.readings().pushPlatformUserId(true).pushCrossTimeLagMs(2_000);

        // When 120 passes are pushed while employee polls run again and again
        CompletableFuture<List<SimulatorPusher.PushResult>> pushing = CompletableFuture.supplyAsync(() -> {
            List<SimulatorPusher.PushResult> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.addAll(simulator.pusher().pushAccess(i % 2 == 0 ? "P" : "B", "MEMBER", 3, false, null));
            }
            return results;
        });
        int polls = 0;
        while (!pushing.isDone()) {
            assertThat(poll("employee")).containsEntry("status", "COMPLETED");
            polls++;
        }
        assertThat(pushing.get(60, TimeUnit.SECONDS)).hasSize(120).allSatisfy(p -> assertThat(p.httpStatus()).isEqualTo(200));
        assertThat(poll("employee")).containsEntry("status", "COMPLETED");

        // Then each of the 120 passes is one row known to both sources, and every record id appears once
        assertThat(polls).isPositive();
        assertThat(count("SELECT COUNT(*) FROM access_event WHERE received_at >= ?", testStart)).isEqualTo(120);
        assertThat(count("SELECT COUNT(*) FROM access_event WHERE received_at >= ? AND push_key IS NOT NULL "
                + "AND query_key IS NOT NULL", testStart)).isEqualTo(120);
        assertThat(jdbc.queryForList("SELECT record_id FROM access_event WHERE received_at >= ? AND record_id IS NOT NULL",
                String.class, testStart)).containsExactlyInAnyOrderElementsOf(recordIds("employee"));
    }

    @Test
    void aPushAndARecordOfOnePersonOnDevicesKnownToDifferAreTwoPasses() {
        // Given the platform named the cameras of box BOX-DEV (device-status push: CAM-BOX-DEV-1 "Gate 1", -2 "Door 2")
        assertThat(simulator.pusher().pushDeviceStatus("BOX-DEV", 0, null).httpStatus()).isEqualTo(200);
        long passTime = System.currentTimeMillis() - MINUTE;
        // And a push of E-DEV at camera CAM-BOX-DEV-1 ...
        Map<String, Object> pass = platformPass("E-DEV", "MEMBER", passTime, "BOX-DEV", "CAM-BOX-DEV-1");
        assertThat(push(ACCESS_PATH, toJson(pass)).statusCode()).isEqualTo(200);
        // ... and query records of E-DEV one second later, at "Door 2" (the box's other camera), then at "Gate 1"
        seedEmployeeRecord(9_100_001L, "E-DEV", "Door 2", passTime + 1_000);
        seedEmployeeRecord(9_100_002L, "E-DEV", "Gate 1", passTime + 1_500);

        // When the employee poll runs
        Map<String, Object> run = poll("employee");

        // Then the record at the other camera is a pass of its own, the one at the pushed camera is the pushed pass
        assertThat(run).containsEntry("stored", 1).containsEntry("duplicates", 1);
        assertThat(jdbc.queryForList("SELECT record_id FROM access_event WHERE received_at >= ? AND push_key IS NOT NULL",
                String.class, testStart)).containsExactly("9100002");
    }

    @Test
    void aPushAndARecordFurtherApartThanTheToleranceAreTwoPasses() {
        // Given a push of E-FAR and a query record of E-FAR at the same camera 6 s later (tolerance 5 s)
        long passTime = System.currentTimeMillis() - MINUTE;
        assertThat(push(ACCESS_PATH, toJson(platformPass("E-FAR", "MEMBER", passTime, "BOX-FAR", "CAM-FAR"))).statusCode())
                .isEqualTo(200);
        seedEmployeeRecord(9_200_001L, "E-FAR", "CAM-FAR", passTime + 6_000);

        // When the employee poll runs
        // Then the record is stored as a pass of its own
        assertThat(poll("employee")).containsEntry("stored", 1).containsEntry("duplicates", 0);
        assertThat(count("SELECT COUNT(*) FROM access_event WHERE received_at >= ?", testStart)).isEqualTo(2);
    }

    @Test
    void twoRecordsOfOnePersonSecondsApartEachKeepTheirOwnPush() {
        // Given the person passed twice within 2 s (two records), and both passes were pushed, reported 1.5 s late
        long passTime = System.currentTimeMillis() - MINUTE;
        for (long offset : new long[] {0, 1_800}) {
            assertThat(push(ACCESS_PATH, toJson(platformPass("E-TWICE", "MEMBER", passTime + offset + 1_500, "BOX-T",
                    "CAM-T"))).statusCode()).isEqualTo(200);
        }
        seedEmployeeRecord(9_300_001L, "E-TWICE", "CAM-T", passTime);
        seedEmployeeRecord(9_300_002L, "E-TWICE", "CAM-T", passTime + 1_800);

        // When the employee poll runs, twice (overlapping windows)
        assertThat(poll("employee")).containsEntry("stored", 0).containsEntry("duplicates", 2);
        assertThat(poll("employee")).containsEntry("stored", 0).containsEntry("duplicates", 2);

        // Then there are two rows, each with one push and one record
        assertThat(jdbc.queryForList("SELECT record_id FROM access_event WHERE received_at >= ? AND push_key IS NOT NULL",
                String.class, testStart)).containsExactlyInAnyOrder("9300001", "9300002");
    }

    @Test
    void twoStrangersWhoseDeviceIdsJoinToTheSameTextAreTwoPasses() {
        // Given two strangers without face id at the same moment: box "a|b" camera "c", and box "a" camera "b|c"
        // (joined with '|' both read "a|b|c": the old key stored the second as a duplicate of the first)
        long passTime = System.currentTimeMillis() - MINUTE;
        Map<String, Object> first = platformPass("", "STRANGER", passTime, "X-a|b", "c");
        Map<String, Object> second = platformPass("", "STRANGER", passTime, "X-a", "b|c");

        // When both are pushed
        assertThat(push(ACCESS_PATH, toJson(first)).statusCode()).isEqualTo(200);
        assertThat(push(ACCESS_PATH, toJson(second)).statusCode()).isEqualTo(200);

        // Then both are stored, and a resend of either is still a duplicate
        assertThat(push(ACCESS_PATH, toJson(second)).statusCode()).isEqualTo(200);
        assertThat(count("SELECT COUNT(*) FROM access_event WHERE received_at >= ?", testStart)).isEqualTo(2);
    }

    private void seedEmployeeRecord(long id, String thirdUserId, String nodeName, long crossTime) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("userId", id + 500_000);
        fields.put("thirdUserId", thirdUserId);
        fields.put("name", "Person " + thirdUserId);
        fields.put("nodeName", nodeName);
        fields.put("crossTime", crossTime);
        fields.put("fid", "f-" + id + ".jpg");
        simulator.state().addRecord(new SimulatorState.AccessRecord("employee", crossTime, fields));
    }

    private List<String> recordIds(String... kinds) {
        List<String> ids = new ArrayList<>();
        for (String kind : kinds) {
            simulator.state().records(kind).forEach(r -> ids.add(String.valueOf(r.fields().get("id"))));
        }
        return ids;
    }

    private Map<String, Object> poll(String kind) {
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = producer.requestBodyAndHeader("direct:access-record-poll", null,
                AccessRecordPoller.KIND, kind, Map.class);
        return summary;
    }

    private static String toJson(Map<String, Object> payload) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
