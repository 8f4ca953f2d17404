package io.sophonsight.gateway.events;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sophonsight.gateway.testkit.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Group commit of the store step ({@link AccessEventWriter}) on a database migrated by the gateway's own
 * Flyway scripts (H2, or with {@code -Ppostgres} a PostgreSQL schema of its own: {@link TestDatabase}), with the SQL of the real application.yaml. A commit is held open (the first connection is
 * handed out only when the test says so) so that the pushes arriving meanwhile are seen to queue and then
 * to share one transaction.
 */
class AccessEventWriterTest {

    private TestDatabase schema;
    private GateDataSource database;
    private SimpleMeterRegistry registry;
    private ExecutorService pushes;

    @BeforeEach
    void database() {
        schema = TestDatabase.fresh("writer").migrated();
        database = new GateDataSource(schema.dataSource());
        registry = new SimpleMeterRegistry();
        pushes = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void stop() {
        database.open();
        pushes.shutdownNow();
        schema.drop();
    }

    @Test
    void pushesArrivingDuringACommitAreCommittedTogetherInTheNextOne() throws Exception {
        // Given a writer whose first commit is held open
        AccessEventWriter writer = writer(64);
        CompletableFuture<String> first = holdCommitOf(writer, row("k-00"));

        // When 10 more pushes arrive meanwhile, and the first commit then goes ahead
        List<CompletableFuture<String>> later = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            later.add(store(writer, row(String.format("k-%02d", i))));
        }
        awaitQueued(writer, 10);
        assertThat(later).noneMatch(CompletableFuture::isDone);
        database.open();

        // Then every push is told its row is stored, after two commits: the first alone, then the 10 together
        assertAllStored(first, later);
        assertThat(rows()).isEqualTo(11);
        assertCommits(2, 10);
    }

    @Test
    void aDuplicateInTheSameBatchAsItsFirstCopyIsStoredOnce() throws Exception {
        // Given a held commit and, queued behind it, two copies of one pass and one new pass
        AccessEventWriter writer = writer(64);
        CompletableFuture<String> first = holdCommitOf(writer, row("k-first"));
        CompletableFuture<String> copyA = store(writer, row("k-same"));
        CompletableFuture<String> copyB = store(writer, row("k-same"));
        CompletableFuture<String> other = store(writer, row("k-other"));
        awaitQueued(writer, 3);

        // When the commits go ahead
        database.open();

        // Then one copy is stored, the other is a duplicate, and the table has each pass once
        assertThat(List.of(copyA.get(10, TimeUnit.SECONDS), copyB.get(10, TimeUnit.SECONDS)))
                .containsExactlyInAnyOrder("stored", "duplicate");
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        assertThat(rows()).isEqualTo(3);
    }

    @Test
    void aRowTheDatabaseRefusesFailsOnlyItsOwnPushNotTheOthersInItsBatch() throws Exception {
        // Given a held commit and, queued behind it, four good rows and one the database refuses (no pass time)
        AccessEventWriter writer = writer(64);
        CompletableFuture<String> first = holdCommitOf(writer, row("k-first"));
        List<CompletableFuture<String>> good = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            good.add(store(writer, row("k-good-" + i)));
        }
        Map<String, Object> refused = row("k-refused");
        refused.put("passTime", null);
        CompletableFuture<String> bad = store(writer, refused);
        awaitQueued(writer, 5);

        // When the commits go ahead
        database.open();

        // Then the refused row's push fails (it is answered 5xx and sent again), the four others are stored
        assertThat(bad).failsWithin(Duration.ofSeconds(10));
        for (CompletableFuture<String> push : good) {
            assertThat(push.get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        }
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        assertThat(rows()).isEqualTo(5);
        assertThat(new JdbcTemplate(database).queryForObject(
                "SELECT COUNT(*) FROM access_event WHERE dedupe_key = 'k-refused'", Integer.class)).isZero();
    }

    @Test
    void withMaxBatchOneEveryPushHasACommitOfItsOwn() throws Exception {
        // Given grouping turned off (push.store.max-batch: 1) and three pushes queued behind a held commit
        AccessEventWriter writer = writer(1);
        CompletableFuture<String> first = holdCommitOf(writer, row("k-0"));
        List<CompletableFuture<String>> later = List.of(store(writer, row("k-1")), store(writer, row("k-2")),
                store(writer, row("k-3")));
        awaitQueued(writer, 3);

        // When the commits go ahead
        database.open();

        // Then all four are stored, in four commits of one row
        assertAllStored(first, later);
        assertCommits(4, 1);
    }

    @Test
    void stagedImagesAreCommittedWithTheirEvent() throws Exception {
        // Given an event with base64 images
        AccessEventWriter writer = writer(64);
        Map<String, Object> row = row("k-images");
        row.put(AccessEventStore.HAS_IMAGES, true);
        row.put("imagesJson", "{\"face\":\"/9j/AAAA\"}");

        // When it is stored
        assertThat(store(writer, row).get(10, TimeUnit.SECONDS)).isEqualTo("stored");

        // Then its images are staged under the same dedupe key
        assertThat(new JdbcTemplate(database).queryForObject(
                "SELECT images_json FROM access_event_image WHERE dedupe_key = 'k-images'", String.class))
                .isEqualTo("{\"face\":\"/9j/AAAA\"}");
    }

    @Test
    void camelSqlParametersBecomeSpringNamedParameters() {
        assertThat(AccessEventWriter.springParameters("VALUES (:#dedupeKey, :#passTime) ON CONFLICT DO NOTHING"))
                .isEqualTo("VALUES (:dedupeKey, :passTime) ON CONFLICT DO NOTHING");
    }

    private AccessEventWriter writer(int maxBatch) {
        return new AccessEventWriter(database, new DataSourceTransactionManager(database),
                new AccessEventStore(new com.fasterxml.jackson.databind.ObjectMapper()), maxBatch, Duration.ofSeconds(5), registry);
    }

    private static void assertAllStored(CompletableFuture<String> first, List<CompletableFuture<String>> later) throws Exception {
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        for (CompletableFuture<String> push : later) {
            assertThat(push.get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        }
    }

    /** How many commits the writer made, and the most rows one of them held. */
    private void assertCommits(long commits, double largest) {
        DistributionSummary batches = registry.get("gateway.access.event.commit.rows").summary();
        assertThat(batches.count()).isEqualTo(commits);
        assertThat(batches.max()).isEqualTo(largest);
    }

    /** Holds the database back and lets a first push start its commit: it waits there until {@code database.open()}. */
    private CompletableFuture<String> holdCommitOf(AccessEventWriter writer, Map<String, Object> row) {
        database.hold();
        CompletableFuture<String> first = store(writer, row);
        await("first commit started").atMost(Duration.ofSeconds(10)).until(database::waiting);
        return first;
    }

    private static void awaitQueued(AccessEventWriter writer, int pushes) {
        await(pushes + " pushes queued behind the held commit").atMost(Duration.ofSeconds(10))
                .until(() -> writer.queued() == pushes);
    }

    /** One push's store step on a thread of its own; completes with the AccessEventStoreResult header. */
    private CompletableFuture<String> store(AccessEventWriter writer, Map<String, Object> row) {
        return CompletableFuture.supplyAsync(() -> writer.insert(row), pushes);
    }

    /** The parameters {@link AccessEventStore#row} makes, with a given dedupe key. */
    private static Map<String, Object> row(String dedupeKey) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("dedupeKey", dedupeKey);
        row.put("sourceForm", "P");
        row.put("personType", "employee");
        row.put("passTime", new Timestamp(1_700_000_000_000L));
        row.put("eventJson", "{\"personId\":\"E-1\"}");
        row.put(AccessEventStore.HAS_IMAGES, false);
        row.put("imagesJson", null);
        // a push naming no person or face: stored by its exact key only, no identity stripe
        row.put("pushKey", dedupeKey);
        for (String column : List.of("queryKey", "recordId", "personId", "platformPersonId", "photoId", "crossFaceId",
                "boxId", "cameraId", "cameraName")) {
            row.put(column, null);
        }
        row.put(AccessEventStore.PASS_MILLIS, 1_700_000_000_000L);
        return row;
    }

    private int rows() {
        return new JdbcTemplate(database).queryForObject("SELECT COUNT(*) FROM access_event", Integer.class);
    }

    /** A data source whose connections can be held back: a commit that asks for one then waits until {@link #open}. */
    private static final class GateDataSource implements DataSource {
        private final DataSource target;
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private volatile boolean waiting;

        GateDataSource(DataSource target) {
            this.target = target;
        }

        void hold() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        boolean waiting() {
            return waiting;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (gate.getCount() > 0) {
                waiting = true;
                try {
                    if (!gate.await(30, TimeUnit.SECONDS)) {
                        throw new SQLException("test gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException(e);
                }
            }
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return target.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            target.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            target.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return target.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return target.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return target.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return target.isWrapperFor(iface);
        }
    }
}
