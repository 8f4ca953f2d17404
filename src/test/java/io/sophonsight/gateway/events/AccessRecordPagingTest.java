package io.sophonsight.gateway.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.simulator.SimulatorPaging;
import io.sophonsight.gateway.simulator.SimulatorState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The access-record pollers under every paging reading the docs leave open (simulator switches of
 * {@link SimulatorPaging}): a capped page size, no totalCount, either sort order with an unstable
 * order of equal pass times, records added to the window while it is read. Each time, a window of
 * 1,000 passes reaches the store exactly once each; a window that cannot be proven complete keeps
 * the watermark and says why.
 */
class AccessRecordPagingTest extends GatewayTestSupport {

    /** Record ids unique across the cases of this class (and the JVM), as the platform's are. */
    private static final AtomicLong RECORD_IDS = new AtomicLong(7_000_000);

    private static final long HOUR = 3_600_000L;
    private static final int RECORDS = 1000;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private MeterRegistry meters;

    /** Prefix of this test's person and face ids (the store outlives the simulator's reset between tests). */
    private String tag;

    @BeforeEach
    void forgetWatermarks() {
        tag = "PG" + Long.toString(System.nanoTime(), 36) + "-";
        jdbc.update("UPDATE access_record_watermark SET watermark_ms = NULL, last_failure = NULL");
    }

    /**
     * The thousands of events a test stores are fanned out in the background: wait for this test's to be
     * done, so its backlog never slows the fan-out another test waits for (the context is shared).
     */
    @AfterEach
    void awaitFanout() {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM access_event WHERE fanout_status = 'PENDING' AND event_json LIKE ?", Integer.class,
                "%\"" + tag + "%") == 0);
    }

    static Stream<Arguments> readings() {
        SimulatorPaging.Settings none = SimulatorPaging.Settings.DEFAULT;
        return Stream.of(
                Arguments.of("pages capped at 20", none.withPageSizeCap(20)),
                Arguments.of("pages capped at 50, no totalCount", none.withPageSizeCap(50).withOmitTotal(true)),
                Arguments.of("oldest first, equal pass times reordered on every call", none.withReorder(true)),
                Arguments.of("newest first, equal pass times reordered on every call", none.withDescending(true).withReorder(true)),
                Arguments.of("oldest first, a record added at the head before each of 15 calls", none.withInserts(1, 15)),
                Arguments.of("newest first, 2 records added at the head before each of 10 calls, pages capped at 50",
                        none.withDescending(true).withInserts(2, 10).withPageSizeCap(50)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readings")
    void everyRecordOfTheWindowReachesTheStoreExactlyOnce(String reading, SimulatorPaging.Settings settings) {
        // Given 1,000 employee passes the platform holds but never pushed, three to a millisecond
        seedEmployeeRecords(RECORDS, 3, System.currentTimeMillis() - 2 * HOUR);
        // And the platform pages them the way under test
        simulator.paging().set(settings);

        // When one poll of employee records runs
        Map<String, Object> run = poll();

        // Then the window is complete, and every pass (those added while it was read too) is stored once
        int expected = simulator.state().records("employee").size();
        assertThat(expected).isGreaterThanOrEqualTo(RECORDS);
        assertThat(run).containsEntry("status", "COMPLETED").containsEntry("distinct", expected)
                .containsEntry("stored", expected).containsEntry("duplicates", 0);
        assertThat(storedEvents()).isEqualTo(expected);
        if (settings.pageSizeCap() > 0) {
            assertThat(run).containsEntry("pageSize", settings.pageSizeCap());
        }
        assertThat(watermark()).isEqualTo(run.get("windowTo"));
    }

    @Test
    void strangersWithoutRecordIdAreToldApartWhenTheirOrderChangesBetweenPages() {
        // Given 300 stranger passes (no record id), three to a millisecond, listed newest first in an unstable order
        long base = System.currentTimeMillis() - 2 * HOUR;
        for (int i = 0; i < 300; i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("fid", tag + i + ".jpg");
            record.put("nodeName", "CAM-BOX-0001-1");
            record.put("nodeType", 5);
            record.put("crossTime", base + i / 3);
            record.put("faceFid", tag + i + ".jpg");
            simulator.state().addRecord(new SimulatorState.AccessRecord("stranger", base + i / 3, record));
        }
        simulator.paging().set(SimulatorPaging.Settings.DEFAULT.withDescending(true).withReorder(true).withPageSizeCap(20));

        // When one poll of stranger records runs
        @SuppressWarnings("unchecked")
        Map<String, Object> run = producer.requestBodyAndHeader("direct:access-record-poll", null,
                AccessRecordPoller.KIND, "stranger", Map.class);

        // Then every stranger pass is stored once
        assertThat(run).containsEntry("status", "COMPLETED").containsEntry("stored", 300).containsEntry("duplicates", 0);
        assertThat(storedEvents()).isEqualTo(300);
    }

    @Test
    void aWindowThatCannotBeProvenCompleteKeepsTheWatermarkAndSaysWhy() {
        // Given a window already read up to an hour ago, and 50 passes since
        long watermark = System.currentTimeMillis() - HOUR;
        jdbc.update("UPDATE access_record_watermark SET watermark_ms = ? WHERE kind = 'employee'", watermark);
        seedEmployeeRecords(50, 1, System.currentTimeMillis() - 30 * 60_000L);
        // And a platform that pages by 20 and adds 7 records at the head of the window before every page it answers
        // (a box uploading a backlog): whatever is re-read, records added behind the reader are never all seen
        simulator.paging().set(SimulatorPaging.Settings.DEFAULT.withPageSizeCap(20).withInserts(7, 10_000));

        // When a poll runs
        double incompleteBefore = incompleteReads();
        Map<String, Object> failed = poll();

        // Then it fails: the window was read again max-rereads (5) times and never added up
        assertThat(failed).containsEntry("status", "FAILED").containsEntry("rereads", 5);
        assertThat(failed.get("failureReason").toString()).startsWith("PagedListIncompleteException: ")
                .contains("the employee records of window").contains("cannot be proven complete")
                .contains("re-reads of the whole list");
        // And what it read is stored, once, but the watermark stays and the reason is kept for operators
        assertThat(storedEvents()).isEqualTo(failed.get("stored")).isEqualTo(failed.get("distinct"));
        assertThat(watermark()).isEqualTo(watermark);
        assertThat(incompleteReads()).isEqualTo(incompleteBefore + 1);
        assertThat(jdbc.queryForObject("SELECT last_failure FROM access_record_watermark WHERE kind = 'employee'",
                String.class)).contains("cannot be proven complete");

        // When the platform stops adding records and the next poll runs
        simulator.paging().set(SimulatorPaging.Settings.DEFAULT.withPageSizeCap(20));
        Map<String, Object> next = poll();

        // Then it repeats the window, completes it, and every pass is stored exactly once
        assertThat(next).containsEntry("status", "COMPLETED").containsEntry("windowFrom", failed.get("windowFrom"))
                .containsEntry("duplicates", failed.get("stored"));
        assertThat(storedEvents()).isEqualTo(next.get("distinct"));
        assertThat(watermark()).isEqualTo(next.get("windowTo"));
    }

    /**
     * Seeds {@code count} employee records of distinct people, {@code perMillisecond} sharing each pass
     * time (so an unstable sort has ties to reorder), from {@code base} on.
     */
    private void seedEmployeeRecords(int count, int perMillisecond, long base) {
        // the platform's record ids never repeat: the store knows a record it has seen again by its id
        long firstId = RECORD_IDS.getAndAdd(count);
        for (int i = 0; i < count; i++) {
            long crossTime = base + i / perMillisecond;
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", firstId + i);
            record.put("userId", 8_000_000 + i);
            record.put("thirdUserId", tag + i);
            record.put("name", "Paged Person " + i);
            record.put("nodeName", "CAM-BOX-0001-1");
            record.put("crossTime", crossTime);
            record.put("fid", tag + i + ".jpg");
            record.put("score", 0.9);
            record.put("faceFid", tag + i + ".jpg");
            simulator.state().addRecord(new SimulatorState.AccessRecord("employee", crossTime, record));
        }
    }

    /**
     * Events in the store (access_event) of this test's records, those the platform added while the
     * window was read included (their ids extend a seeded record's). Every record is a distinct person
     * (or stranger face), so this equals the records each stored once only if none was lost or doubled.
     */
    private int storedEvents() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM access_event WHERE event_json LIKE ?", Integer.class,
                "%\"" + tag + "%");
    }

    private Map<String, Object> poll() {
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = producer.requestBodyAndHeader("direct:access-record-poll", null,
                AccessRecordPoller.KIND, "employee", Map.class);
        return summary;
    }

    private Long watermark() {
        return jdbc.queryForObject("SELECT watermark_ms FROM access_record_watermark WHERE kind = 'employee'", Long.class);
    }

    /** gateway_paging_incomplete_total of this list (0 before the first incomplete read). */
    private double incompleteReads() {
        var counter = meters.find("gateway.paging.incomplete").tag("list", "access-records-employee").counter();
        return counter == null ? 0 : counter.count();
    }
}
