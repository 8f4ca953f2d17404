package io.sophonsight.gateway.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.push.PushJson;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity match is race-free across replicas: two store steps with writers of their own (as two
 * gateway replicas have) on one database, one storing the pushes and the other the query records of
 * the same passes, at the same moment, in opposite orders. H2 always; the gateway's PostgreSQL too
 * with {@code -Ppostgres} (a fresh schema).
 */
class AccessEventIdentityAcrossReplicasTest {

    private static final int PASSES = 200;
    private static final long BASE_TIME = 1_764_000_000_000L;

    private final AccessEventNormalizer normalizer = new AccessEventNormalizer(new PushJson(32, DataSize.ofMegabytes(16)));
    private final AccessEventStore store = new AccessEventStore(new ObjectMapper());
    private final List<DataSource> databases = new ArrayList<>();
    private String postgresSchema;
    private ExecutorService threads;

    @BeforeEach
    void databases() {
        databases.add(migrated(new DriverManagerDataSource("jdbc:h2:mem:replicas-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000", "sa", ""), null));
        if (GatewayTestSupport.onPostgres()) {
            String schema = "replicas_" + Long.toHexString(System.nanoTime());
            postgresSchema = schema;
            String url = System.getProperty("gateway.test.postgres-url");
            databases.add(migrated(new DriverManagerDataSource(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                    System.getProperty("gateway.test.postgres-user", "gateway"),
                    System.getProperty("gateway.test.postgres-password", "gateway")), schema));
        }
        threads = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        if (postgresSchema != null) {
            new JdbcTemplate(databases.get(1)).execute("DROP SCHEMA " + postgresSchema + " CASCADE");
        }
    }

    @Test
    void aPushAndAQueryRecordOfOnePassStoredByTwoReplicasAtOnceAreOneRow() throws Exception {
        for (DataSource database : databases) {
            // Given two replicas' store steps on one database
            AccessEventWriter replicaA = writer(database);
            AccessEventWriter replicaB = writer(database);
            // And 200 passes, each pushed with the platform's own person id and a report time 0..2 s late,
            // and read by the query API with our id, the platform's id and the pass time
            List<Map<String, Object>> pushes = new ArrayList<>();
            List<Map<String, Object>> records = new ArrayList<>();
            for (int i = 0; i < PASSES; i++) {
                long passTime = BASE_TIME + i * 10_000L;
                pushes.add(normalizer.normalize(("{\"userId\":\"" + (7000 + i) + "\",\"userType\":\"MEMBER\",\"crossTime\":"
                        + (passTime + i * 10 % 2_000) + ",\"deviceId\":\"BOX-1\",\"cameraId\":\"CAM-" + (i % 3) + "\"}")
                        .getBytes(StandardCharsets.UTF_8)));
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("id", 100_000 + i);
                record.put("userId", 7000 + i);
                record.put("thirdUserId", "E-" + i);
                record.put("nodeName", "CAM-" + (i % 3));
                record.put("crossTime", passTime);
                records.add(normalizer.fromQuery("employee", record));
            }
            Collections.reverse(records);

            // When replica A stores the pushes while replica B stores the records, 8 threads each
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < PASSES; i++) {
                Map<String, Object> push = pushes.get(i);
                Map<String, Object> record = records.get(i);
                results.add(threads.submit(() -> store(replicaA, push)));
                results.add(threads.submit(() -> store(replicaB, record)));
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<String> result : results) {
                outcomes.add(result.get(60, TimeUnit.SECONDS));
            }

            // Then every pass is one row, known to both sources; one of each pair was stored, the other matched
            JdbcTemplate jdbc = new JdbcTemplate(database);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM access_event", Integer.class)).isEqualTo(PASSES);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM access_event WHERE push_key IS NOT NULL "
                    + "AND query_key IS NOT NULL AND record_id IS NOT NULL", Integer.class)).isEqualTo(PASSES);
            assertThat(outcomes).filteredOn("stored"::equals).hasSize(PASSES);
            assertThat(outcomes).filteredOn("matched"::equals).hasSize(PASSES);
        }
    }

    private String store(AccessEventWriter writer, Map<String, Object> event) throws Exception {
        return writer.insert(store.row(new LinkedHashMap<>(event)));
    }

    private static DataSource migrated(DataSource database, String schema) {
        var flyway = Flyway.configure().dataSource(database).locations("classpath:db/migration");
        if (schema != null) {
            flyway.schemas(schema);
        }
        flyway.load().migrate();
        return database;
    }

    private static AccessEventWriter writer(DataSource database) {
        return new AccessEventWriter(database, new DataSourceTransactionManager(database),
                new AccessEventStore(new ObjectMapper()),
                64, Duration.ofSeconds(5), new SimpleMeterRegistry());
    }
}
