package io.sophonsight.gateway.events;

import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.simulator.SimulatorFaults;
import io.sophonsight.gateway.simulator.SimulatorPusher;
import io.sophonsight.gateway.simulator.SimulatorState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The access-record pollers (routes/access-record-poll.camel.yaml) against the simulator's record
 * queries: paging, windows and their watermark, failures in the middle of a window, the first run's
 * look-back, one row per pass whether it was pushed, queried, or both.
 *
 * <p>Runs are triggered through {@code direct:access-record-poll} (the crons never fire in tests).
 * Each test uses its own range of pass times, so rows of other tests never count.
 */
class AccessRecordPollTest extends GatewayTestSupport {

    private static final String EMPLOYEE_PATH = "/openapi/v1/cross/record/employee";
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private ConfigurableEnvironment environment;

    /** Rows of this test: events received from this instant on. */
    private Timestamp testStart;

    /** Every test starts as on an empty database: no kind has completed a window yet. */
    @BeforeEach
    void forgetWatermarks() {
        testStart = new Timestamp(System.currentTimeMillis() - 1);
        jdbc.update("UPDATE access_record_watermark SET watermark_ms = NULL, last_failure = NULL");
    }

    @Test
    void thousandSeededRecordsAreReadOverTenPagesAndEachAppearsInAccessRecordOnce() {
        // Given 1,000 employee passes the platform holds but never pushed, 5 to 4 hours ago
        long now = System.currentTimeMillis();
        long from = now - 5 * HOUR;
        long to = now - 4 * HOUR;
        simulator.pusher().generateRecords("MEMBER", 1000, from, to);

        // When one poll of employee records runs (page size 100 by default)
        Map<String, Object> run = poll("employee");

        // Then every page was read and every record stored, once
        assertThat(run).containsEntry("status", "COMPLETED").containsEntry("pages", 10)
                .containsEntry("fetched", 1000L).containsEntry("stored", 1000).containsEntry("duplicates", 0);
        assertThat(simulator.state().snapshot().get("calls").toString()).contains(EMPLOYEE_PATH + "/getList=10");
        // And each pass is in access_record once, as a query record with its camera name and face id
        awaitNewRecords(1000);
        assertThat(count("SELECT COUNT(*) FROM (SELECT person_id, pass_time FROM access_record WHERE pass_time >= ? "
                + "AND pass_time < ? GROUP BY person_id, pass_time HAVING COUNT(*) > 1) d", ts(from), ts(to))).isZero();
        Map<String, Object> row = newRecords("r.person_id IS NOT NULL").get(0);
        assertThat(row.get("source_form")).isEqualTo("query");
        assertThat(row.get("person_type")).isEqualTo("employee");
        assertThat(row.get("person_id").toString()).startsWith("E-");
        assertThat(row.get("camera_name").toString()).startsWith("CAM-");
        assertThat(row.get("photo_id")).isNotNull();
        assertThat(row.get("box_id")).isNull();
        // And the watermark is the end of the window
        assertThat(watermark("employee")).isEqualTo(run.get("windowTo"));
    }

    @Test
    void overlappingWindowsStoreLateRecordsAndNoDuplicates() {
        // Given 200 employee passes of the last 30 minutes, read by a first poll
        long now = System.currentTimeMillis();
        simulator.pusher().generateRecords("MEMBER", 200, now - 30 * MINUTE, now);
        Map<String, Object> first = poll("employee");
        assertThat(first).containsEntry("status", "COMPLETED").containsEntry("stored", 200);
        long firstEnd = (Long) first.get("windowTo");
        // And the platform then learns 30 passes late (from before the first window's end) and 20 new ones
        simulator.pusher().generateRecords("VIP", 30, firstEnd - 5 * MINUTE, firstEnd);
        simulator.pusher().generateRecords("MEMBER", 20, firstEnd, System.currentTimeMillis());

        // When the next poll runs, its window overlapping the first by query.records.overlap (10 min)
        Map<String, Object> second = poll("employee");

        // Then it starts 10 minutes before the watermark, re-reads the overlap, and stores only the 50 new passes
        assertThat(second).containsEntry("status", "COMPLETED").containsEntry("windowFrom", firstEnd - 10 * MINUTE)
                .containsEntry("stored", 50);
        assertThat((Integer) second.get("duplicates")).isPositive();
        assertThat((Long) second.get("fetched")).isEqualTo(50L + (Integer) second.get("duplicates"));
        awaitNewRecords(250);
    }

    @Test
    void aPassPushedAndThenQueriedIsStoredOnceAndUnpushedRecordsAreAdded() {
        // Given passes the platform pushed to the gateway (both push forms for employees; strangers and visitors)
        long start = System.currentTimeMillis() - 1;
        SimulatorPusher pusher = simulator.pusher();
        List<SimulatorPusher.PushResult> pushes = new java.util.ArrayList<>();
        pushes.addAll(pusher.pushAccess("P", "MEMBER", 3, false, null));
        pushes.addAll(pusher.pushAccess("B", "MEMBER", 2, false, null));
        pushes.addAll(pusher.pushAccess("P", "STRANGER", 2, false, null));
        pushes.addAll(pusher.pushAccess("P", "VISITOR", 2, true, null));
        assertThat(pushes).allSatisfy(p -> assertThat(p.httpStatus()).isEqualTo(200));
        assertThat(count("SELECT COUNT(*) FROM access_event WHERE pass_time >= ?", ts(start))).isEqualTo(9);
        // And passes the platform holds but never pushed (a lost push)
        long now = System.currentTimeMillis();
        pusher.generateRecords("MEMBER", 4, now - 20 * MINUTE, now - 15 * MINUTE);
        pusher.generateRecords("STRANGER", 3, now - 20 * MINUTE, now - 15 * MINUTE);
        pusher.generateRecords("VISITOR", 2, now - 20 * MINUTE, now - 15 * MINUTE);

        // When one poll of each kind runs
        Map<String, Object> employees = poll("employee");
        Map<String, Object> strangers = poll("stranger");
        Map<String, Object> visitors = poll("visitor");

        // Then every pushed pass is recognised as already stored, and only the lost ones are added
        assertThat(employees).containsEntry("stored", 4).containsEntry("duplicates", 5);
        assertThat(strangers).containsEntry("stored", 3).containsEntry("duplicates", 2);
        assertThat(visitors).containsEntry("stored", 2).containsEntry("duplicates", 2);
        // And access_record holds one row per pass: 9 pushed + 9 queried
        awaitNewRecords(18);
        assertThat(newRecords("r.source_form = 'query'")).hasSize(9);
        assertThat(newRecords("r.source_form <> 'query'")).hasSize(9);
    }

    @Test
    void platformDownInTheMiddleOfTheWindowKeepsTheWatermarkAndTheNextRunCompletes() {
        // Given a window already read up to an hour ago, and 500 passes since
        long now = System.currentTimeMillis();
        long watermark = now - HOUR;
        jdbc.update("UPDATE access_record_watermark SET watermark_ms = ? WHERE kind = 'employee'", watermark);
        simulator.pusher().generateRecords("MEMBER", 500, watermark - 5 * MINUTE, now);
        // And the platform answers 503 from the third page on, also to every retry
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, EMPLOYEE_PATH,
                2, 0, 503, 0, null, 0, null, null));

        // When a poll runs
        Map<String, Object> failed = poll("employee");

        // Then it fails after two pages, keeps what it stored, and the watermark does not move
        assertThat(failed).containsEntry("status", "FAILED").containsEntry("pages", 2).containsEntry("stored", 200);
        assertThat(failed.get("failureReason").toString()).contains("SophonSight unavailable for /openapi/v1/cross/record/employee/getList");
        assertThat(watermark("employee")).isEqualTo(watermark);
        assertThat(jdbc.queryForObject("SELECT last_failure FROM access_record_watermark WHERE kind = 'employee'",
                String.class)).contains("SophonSight unavailable for /openapi/v1/cross/record/employee/getList");

        // When the platform is back and the next poll runs
        simulator.faults().clear();
        Map<String, Object> next = poll("employee");

        // Then it repeats the same window start, reads every page, adds the 300 missing passes and moves the watermark
        assertThat(next).containsEntry("status", "COMPLETED").containsEntry("windowFrom", failed.get("windowFrom"))
                .containsEntry("pages", 5).containsEntry("stored", 300).containsEntry("duplicates", 200);
        assertThat(watermark("employee")).isEqualTo(next.get("windowTo"));
        awaitNewRecords(500);
    }

    @Test
    void firstRunOnAnEmptyDatabaseLooksBackTheConfiguredPeriod() {
        // Given visitor passes 26 to 25 hours ago and 23 to 22 hours ago, and no watermark
        long now = System.currentTimeMillis();
        simulator.pusher().generateRecords("VISITOR", 10, now - 26 * HOUR, now - 25 * HOUR);
        simulator.pusher().generateRecords("VISITOR", 10, now - 23 * HOUR, now - 22 * HOUR);

        // When the first poll of visitor records runs
        Map<String, Object> run = poll("visitor");

        // Then its window is the last 24 hours (query.records.first-lookback): only the recent passes are read
        assertThat(run).containsEntry("status", "COMPLETED").containsEntry("firstRun", true)
                .containsEntry("fetched", 10L).containsEntry("stored", 10);
        assertThat((Long) run.get("windowTo") - (Long) run.get("windowFrom")).isEqualTo(24 * HOUR);
        awaitNewRecords(10);
        assertThat(newRecords("r.person_type = 'visitor'")).hasSize(10).allSatisfy(r ->
                assertThat(epochMillis(r.get("pass_time"))).isGreaterThan(now - 24 * HOUR));
    }

    @Test
    void imagesAreNotRequestedByDefaultAndBecomeFilesWhenRequestedForAKind() throws Exception {
        // Given stranger and visitor passes of 3 to 2 hours ago
        long now = System.currentTimeMillis();
        simulator.pusher().generateRecords("STRANGER", 2, now - 3 * HOUR, now - 2 * HOUR - 30 * MINUTE);
        simulator.pusher().generateRecords("VISITOR", 2, now - 2 * HOUR - 30 * MINUTE, now - 2 * HOUR);
        // And visitor face crops and scenes requested (query.records.visitor.*-photo, read at each run)
        MapPropertySource visitorImages = new MapPropertySource("visitor-images", Map.of(
                "query.records.visitor.face-photo", "true", "query.records.visitor.scene-photo", "true"));
        environment.getPropertySources().addFirst(visitorImages);
        try {
            // When both kinds are polled
            assertThat(poll("stranger")).containsEntry("stored", 2);
            assertThat(poll("visitor")).containsEntry("stored", 2);
        } finally {
            environment.getPropertySources().remove("visitor-images");
        }

        // Then strangers (defaults) come without images, visitors with their face and scene as files
        awaitNewRecords(4);
        List<Map<String, Object>> strangers = newRecords("r.person_type = 'stranger'");
        assertThat(strangers).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("face_photo_file")).isNull();
            assertThat(r.get("scene_photo_file")).isNull();
        });
        List<Map<String, Object>> visitors = newRecords("r.person_type = 'visitor'");
        assertThat(visitors).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("enrolled_photo_file")).isNull();
            assertThat(DATA_DIR.resolve(r.get("face_photo_file").toString())).isRegularFile();
            assertThat(DATA_DIR.resolve(r.get("scene_photo_file").toString())).isRegularFile();
        });
        assertThat(Files.readAllBytes(DATA_DIR.resolve(visitors.get(0).get("face_photo_file").toString())))
                .startsWith((byte) 0xff, (byte) 0xd8);
    }

    @Test
    void aRecordThatCannotBeKeyedIsDeadLetteredAndTheRunGoesOn() {
        // Given 5 employee passes and one record with neither person id nor face id
        long now = System.currentTimeMillis();
        simulator.pusher().generateRecords("MEMBER", 5, now - 7 * HOUR, now - 6 * HOUR);
        long badTime = now - 6 * HOUR - MINUTE;
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("id", 999_999);
        bad.put("name", "Nobody Known");
        bad.put("crossTime", badTime);
        simulator.state().addRecord(new SimulatorState.AccessRecord("employee", badTime, bad));

        // When the poll runs
        Map<String, Object> run = poll("employee");

        // Then the good records are stored, the bad one is kept as a dead letter, and the window completes
        assertThat(run).containsEntry("status", "COMPLETED").containsEntry("stored", 5).containsEntry("refused", 1);
        assertThat(watermark("employee")).isEqualTo(run.get("windowTo"));
        Map<String, Object> letter = jdbc.queryForList(
                "SELECT * FROM dead_letter WHERE flow = 'access-record-poll' ORDER BY id DESC").get(0);
        assertThat(letter.get("reason")).isEqualTo("employee record refused: the record needs a person id (thirdUserId or userId) "
                + "or a face id (fid or faceFid) to be stored once");
        assertThat(letter.get("payload").toString()).contains("Nobody Known");
    }

    private Map<String, Object> poll(String kind) {
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = producer.requestBodyAndHeader("direct:access-record-poll", null,
                AccessRecordPoller.KIND, kind, Map.class);
        return summary;
    }

    private Long watermark(String kind) {
        return jdbc.queryForObject("SELECT watermark_ms FROM access_record_watermark WHERE kind = ?", Long.class, kind);
    }

    /** Waits until the fan-out has written exactly {@code expected} access_record rows of events received in this test. */
    private void awaitNewRecords(int expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(count("SELECT COUNT(*) FROM access_record r JOIN access_event e ON e.id = r.event_id "
                        + "WHERE e.received_at >= ? AND e.fanout_status = 'DONE'", testStart)).isEqualTo(expected));
        assertThat(count("SELECT COUNT(*) FROM access_event WHERE received_at >= ?", testStart)).isEqualTo(expected);
    }

    /** access_record rows of events received in this test, with {@code condition} on r. */
    private List<Map<String, Object>> newRecords(String condition) {
        return jdbc.queryForList("SELECT r.* FROM access_record r JOIN access_event e ON e.id = r.event_id "
                + "WHERE e.received_at >= ? AND " + condition + " ORDER BY r.pass_time", testStart);
    }

    private int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }

    private static Timestamp ts(long millis) {
        return new Timestamp(millis);
    }

    /** A TIMESTAMP WITH TIME ZONE as read back: H2 gives OffsetDateTime, PostgreSQL java.sql.Timestamp. */
    private static long epochMillis(Object timestamp) {
        return timestamp instanceof java.time.OffsetDateTime offset ? offset.toInstant().toEpochMilli()
                : ((java.util.Date) timestamp).getTime();
    }
}
