package io.sophonsight.gateway.monitoring;

import java.lang.reflect.Proxy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sophonsight.gateway.devices.PushSilenceWatch;
import io.sophonsight.gateway.hr.HrDeletionGuard;
import io.sophonsight.gateway.testkit.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static io.sophonsight.gateway.monitoring.HealthAndMetricsTest.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database-backed gauges on the gateway's real tables (its Flyway scripts on an in-memory H2, or with
 * {@code -Ppostgres} on a PostgreSQL schema of each test's own):
 * one reading per table is reused for the cache time, and a database that is down or hangs gives NaN
 * instead of a failed or hanging scrape.
 */
class GatewayMetricsTest {

    private static final Duration CACHE = Duration.ofSeconds(5);
    /** Long enough for a reading on a busy CI machine: these tests are about the cache, not the wait. */
    private static final Duration READING_WAIT = Duration.ofSeconds(30);

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-03-01T10:00:00Z"); // read by the metrics reader thread too

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final TestClock clock = new TestClock();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private final List<TestDatabase> databases = new ArrayList<>();

    /** A fresh database of this test with the gateway's schema (H2, or with -Ppostgres a PostgreSQL schema). */
    private DataSource gatewaySchema() {
        TestDatabase database = TestDatabase.fresh("metrics").migrated();
        databases.add(database);
        return database.dataSource();
    }

    @AfterEach
    void dropDatabases() {
        databases.forEach(TestDatabase::drop);
    }

    private GatewayMetrics metrics(DataSource dataSource, Duration wait) {
        return new GatewayMetrics(registry, new JdbcTemplate(dataSource), new PushSilenceWatch(Duration.ofMinutes(15)),
                new HrDeletionGuard(20, false), CACHE, wait, clock);
    }

    @Test
    void deadLettersArePerFlowAndOneReadingServesScrapesForTheCacheTime() {
        // Given one pending and one replayed dead letter of the fan-out, and one rejected push
        DataSource db = gatewaySchema();
        JdbcTemplate jdbc = new JdbcTemplate(db);
        jdbc.update("INSERT INTO dead_letter (flow, reason, payload_ref) VALUES ('access-event-fanout', 'queue down', '1')");
        jdbc.update("INSERT INTO dead_letter (flow, reason, payload_ref, replayed_at) VALUES ('access-event-fanout', 'x', '2', CURRENT_TIMESTAMP)");
        jdbc.update("INSERT INTO dead_letter (flow, reason) VALUES ('access-record-push', 'not an access record')");
        GatewayMetrics metrics = metrics(db, READING_WAIT);

        // When the gateway is ready and Prometheus scrapes
        metrics.discoverDeadLetterFlows();
        String scrape = registry.scrape();

        // Then each flow has its pending (not replayed) dead letters
        assertThat(value(scrape, "gateway_dead_letters_pending{flow=\"access-event-fanout\"}")).isEqualTo(1.0);
        assertThat(value(scrape, "gateway_dead_letters_pending{flow=\"access-record-push\"}")).isEqualTo(1.0);

        // When more dead letters come within the cache time, a scrape still shows the reading it has
        jdbc.update("INSERT INTO dead_letter (flow, reason, payload_ref) VALUES ('access-event-fanout', 'queue down', '3')");
        jdbc.update("INSERT INTO dead_letter (flow, reason) VALUES ('visitor-register', 'gave up')");
        assertThat(value(registry.scrape(), "gateway_dead_letters_pending{flow=\"access-event-fanout\"}")).isEqualTo(1.0);

        // And once the cache time is over the next scrape reads again, and a new flow gets its own series
        clock.advance(CACHE);
        metrics.deadLettersPending("access-event-fanout"); // the reading that discovers the new flow
        String later = registry.scrape();
        assertThat(value(later, "gateway_dead_letters_pending{flow=\"access-event-fanout\"}")).isEqualTo(2.0);
        assertThat(value(later, "gateway_dead_letters_pending{flow=\"visitor-register\"}")).isEqualTo(1.0);
        metrics.destroy();
    }

    @Test
    void theFirstDeadLetterOfAFreshDatabaseGetsItsSeriesOnTheNextScrapes() {
        // Given a gateway on an empty dead_letter table, scraped once
        DataSource db = gatewaySchema();
        GatewayMetrics metrics = metrics(db, READING_WAIT);
        metrics.discoverDeadLetterFlows();
        assertThat(value(registry.scrape(), "gateway_dead_letters_pending_all")).isEqualTo(0.0);

        // When a flow gives up on something for the first time
        new JdbcTemplate(db).update("INSERT INTO dead_letter (flow, reason) VALUES ('device-status-push', 'not a report')");
        clock.advance(CACHE);

        // Then the next scrapes show it in the total and, from the reading on, in a series of its own
        assertThat(value(registry.scrape(), "gateway_dead_letters_pending_all")).isEqualTo(1.0);
        assertThat(value(registry.scrape(), "gateway_dead_letters_pending{flow=\"device-status-push\"}")).isEqualTo(1.0);
        metrics.destroy();
    }

    @Test
    void hrSyncAgeCountsFromTheLastCompletedRunOfEachModeAndFlagsAFailedLastRun() {
        // Given a completed full run that ended 100 s ago, and incremental runs whose last one failed
        DataSource db = gatewaySchema();
        JdbcTemplate jdbc = new JdbcTemplate(db);
        Instant now = clock.instant();
        run(jdbc, "FULL", "COMPLETED", false, now.minusSeconds(300), now.minusSeconds(100));
        run(jdbc, "FULL", "COMPLETED", true, now.minusSeconds(20), now.minusSeconds(10)); // a dry run is no sync
        run(jdbc, "INCREMENTAL", "COMPLETED", false, now.minusSeconds(700), now.minusSeconds(600));
        run(jdbc, "INCREMENTAL", "ABORTED", false, now.minusSeconds(70), now.minusSeconds(60));
        GatewayMetrics metrics = metrics(db, READING_WAIT);

        // When Prometheus scrapes
        String scrape = registry.scrape();

        // Then the ages count from the last COMPLETED, non-dry run, and only the incremental sync is flagged failed
        assertThat(value(scrape, "gateway_hr_sync_last_success_age_seconds{mode=\"FULL\"}")).isEqualTo(100.0);
        assertThat(value(scrape, "gateway_hr_sync_last_success_age_seconds{mode=\"INCREMENTAL\"}")).isEqualTo(600.0);
        assertThat(value(scrape, "gateway_hr_sync_last_run_failed{mode=\"FULL\"}")).isEqualTo(0.0);
        assertThat(value(scrape, "gateway_hr_sync_last_run_failed{mode=\"INCREMENTAL\"}")).isEqualTo(1.0);
        metrics.destroy();
    }

    @Test
    void withoutAnyRunOrPushTheAgesCountFromStartUp() {
        // Given a gateway started 90 s ago that has neither synced nor received a push
        GatewayMetrics metrics = metrics(gatewaySchema(), READING_WAIT);
        clock.advance(Duration.ofSeconds(90));

        // When Prometheus scrapes, Then the HR sync age is the time since start-up
        String scrape = registry.scrape();
        assertThat(value(scrape, "gateway_hr_sync_last_success_age_seconds{mode=\"FULL\"}")).isEqualTo(90.0);
        assertThat(value(scrape, "gateway_push_last_received_age_seconds{kind=\"access\"}")).isNotNegative();
        assertThat(value(scrape, "gateway_hr_sync_held_deletes{kind=\"person\"}")).isEqualTo(0.0);
        assertThat(value(scrape, "gateway_hr_sync_last_run_failed{mode=\"FULL\"}")).isEqualTo(0.0);
        metrics.destroy();
    }

    @Test
    void aDatabaseThatIsDownGivesNaNAndTheScrapeStillWorks() {
        // Given the gateway's database unreachable (nothing listens on port 1)
        GatewayMetrics metrics = metrics(new DriverManagerDataSource(TestDatabase.unreachableUrl(), "sa", ""),
                Duration.ofSeconds(2));
        metrics.discoverDeadLetterFlows();

        // When Prometheus scrapes
        long started = System.nanoTime();
        String scrape = registry.scrape();

        // Then the scrape tried the database once per table, not once per gauge, and answered in time
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        // And the database gauges say NaN, and the others still have their values
        assertThat(scrape).contains("gateway_hr_sync_last_success_age_seconds{mode=\"FULL\"} NaN");
        assertThat(scrape).contains("gateway_hr_sync_last_run_failed{mode=\"INCREMENTAL\"} NaN");
        assertThat(scrape).contains("gateway_dead_letters_pending_all NaN");
        assertThat(value(scrape, "gateway_hr_sync_held_deletes{kind=\"org\"}")).isEqualTo(0.0);
        metrics.destroy();
    }

    @Test
    void aHangingDatabaseDoesNotHangTheScrape() throws Exception {
        // Given a database whose connections hang until released
        CountDownLatch release = new CountDownLatch(1);
        DataSource real = gatewaySchema();
        DataSource hanging = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        release.await(30, TimeUnit.SECONDS);
                    }
                    return method.invoke(real, args);
                });
        GatewayMetrics metrics = metrics(hanging, Duration.ofMillis(200));

        // When Prometheus scrapes
        long started = System.nanoTime();
        String scrape = registry.scrape();

        // Then the scrape answers after the wait with NaN, instead of waiting for the database
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(scrape).contains("gateway_hr_sync_last_success_age_seconds{mode=\"FULL\"} NaN");

        // And once the database answers again, the next scrape has a number
        release.countDown();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !Double.isNaN(value(registry.scrape(), "gateway_hr_sync_last_success_age_seconds{mode=\"FULL\"}")));
        metrics.destroy();
    }

    private static void run(JdbcTemplate jdbc, String mode, String status, boolean dryRun, Instant started, Instant ended) {
        jdbc.update("INSERT INTO sync_run (mode, dry_run, status, started_at, ended_at) VALUES (?, ?, ?, ?, ?)",
                mode, dryRun, status, Timestamp.from(started), Timestamp.from(ended));
    }
}
