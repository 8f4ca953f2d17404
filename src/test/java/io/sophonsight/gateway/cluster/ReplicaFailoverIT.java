package io.sophonsight.gateway.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.testkit.GatewayProcess;
import io.sophonsight.gateway.testkit.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two gateway processes ({@code java -jar}, {@code GATEWAY_CLUSTER_MODE=database}) on one PostgreSQL schema, one HR
 * database and one standalone simulated platform, as two replicas run in production: each HR change reaches the
 * platform once, a {@code kill -9} of the leader hands the schedules to the other replica within 30 s, and the
 * same push sent to both replicas is stored once. Runs with {@code -Ppostgres} (needs a PostgreSQL):
 * {@code mvn -B verify -Ppostgres -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ReplicaFailoverIT}.
 */
class ReplicaFailoverIT {

    private static final String APPKEY = "replica-it";
    private static final String SECRET = "replica-it-secret-0123456789";
    private static final String PUSH_KEY = "replica-it-push-key";
    private static final String USER_ADD_OR_EDIT = "/openapi/v1/syncuser/addOrEdit";
    private static final int SAMPLE_PEOPLE = 20;
    private static final Duration LEASE_TTL = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void needsPostgres() {
        if (!TestDatabase.onPostgres()) {
            System.out.println("ReplicaFailoverIT does not run: it needs a PostgreSQL shared by two gateway processes;"
                    + " run it with -Ppostgres (system property gateway.test.postgres-url)");
        }
        assumeTrue(TestDatabase.onPostgres(), "ReplicaFailoverIT needs PostgreSQL: run with -Ppostgres"
                + " (system property gateway.test.postgres-url is not set)");
    }

    @Test
    void twoReplicasSyncEachHrChangeOnceFailOverWithin30sAndStoreAPushOnce() throws Exception {
        // Given a fresh gateway schema and HR schema in one PostgreSQL, and one simulated platform
        TestDatabase gatewaySchema = TestDatabase.fresh("replica_gw").create();
        TestDatabase hrSchema = TestDatabase.fresh("replica_hr").create();

        try (GatewayProcess platform = GatewayProcess.simulator("replica-platform", APPKEY, SECRET)
                .env("SIMULATOR_PUSH_INTERVAL", "0s").start()) {
            platform.awaitReady(Duration.ofSeconds(60));

            // and two replicas of the gateway on them, in cluster mode database; a started first, so it leads
            GatewayProcess a = replica("replica-a", platform, gatewaySchema, hrSchema).start();
            GatewayProcess b = replica("replica-b", platform, gatewaySchema, hrSchema);
            try (a; b) {
                a.awaitReady(Duration.ofMinutes(5));
                b.start().awaitReady(Duration.ofMinutes(5));
                await("a leads, b follows").atMost(LEASE_TTL.multipliedBy(2))
                        .until(() -> leads(a) && !leads(b));

                // When the leader's first full run has put the sample HR on the platform
                await("first full sync").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> calls(platform, USER_ADD_OR_EDIT) >= SAMPLE_PEOPLE);
                // Then every person was sent once, although both replicas run the same schedules
                await("no second full sync").during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20))
                        .until(() -> calls(platform, USER_ADD_OR_EDIT) == SAMPLE_PEOPLE);

                // When HR renames one person
                renameInHr(hrSchema, "E00003", "Renamed Before Failover");
                // Then the platform gets that one change once (incremental runs every 5 s, on the leader only)
                await("change synced").atMost(Duration.ofSeconds(30))
                        .until(() -> "Renamed Before Failover".equals(personName(platform, "E00003")));
                await("change sent once").during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20))
                        .until(() -> calls(platform, USER_ADD_OR_EDIT) == SAMPLE_PEOPLE + 1);

                // When the platform pushes the same access record to both replicas (e.g. a retry through the Service)
                String push = Files.readString(Path.of("src/test/resources/conformance/push-samples/access-platform-minimal.json"));
                assertThat(a.post("/sophonsight/access-records?key=" + PUSH_KEY, push).statusCode()).isEqualTo(200);
                assertThat(b.post("/sophonsight/access-records?key=" + PUSH_KEY, push).statusCode()).isEqualTo(200);
                // Then it is stored once and fanned out once (access_record written by the leader's outbox poller)
                await("push fanned out").atMost(Duration.ofSeconds(30))
                        .until(() -> count(gatewaySchema, "SELECT COUNT(*) FROM access_record WHERE person_id = 'E-0001'") == 1);
                await("push stored once").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                        .until(() -> count(gatewaySchema, "SELECT COUNT(*) FROM access_event") == 1
                                && count(gatewaySchema, "SELECT COUNT(*) FROM access_record WHERE person_id = 'E-0001'") == 1);

                // When the leader is killed (kill -9: no shutdown, its lock row stays until it expires)
                Instant killed = Instant.now();
                a.kill();

                // Then b leads within 30 s
                await("b takes over").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .until(() -> leads(b));
                double failoverSeconds = Duration.between(killed, Instant.now()).toMillis() / 1000.0;

                // and b's schedules sync the next HR change, once
                renameInHr(hrSchema, "E00004", "Renamed After Failover");
                await("change synced by b").atMost(Duration.ofSeconds(30))
                        .until(() -> "Renamed After Failover".equals(personName(platform, "E00004")));
                await("change sent once by b").during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20))
                        .until(() -> calls(platform, USER_ADD_OR_EDIT) == SAMPLE_PEOPLE + 2);

                System.out.printf("ReplicaFailoverIT: failover after kill -9 of the leader: %.1f s (lease TTL %d s);"
                                + " syncuser/addOrEdit calls: %d for %d people + 2 HR changes; access_event rows for one"
                                + " event pushed to both replicas: %d, access_record rows: %d%n",
                        failoverSeconds, LEASE_TTL.toSeconds(), calls(platform, USER_ADD_OR_EDIT), SAMPLE_PEOPLE,
                        count(gatewaySchema, "SELECT COUNT(*) FROM access_event"),
                        count(gatewaySchema, "SELECT COUNT(*) FROM access_record WHERE person_id = 'E-0001'"));
                assertThat(failoverSeconds).isLessThan(30.0);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n--- replica-a log ---\n" + a.logTail()
                        + "\n--- replica-b log ---\n" + b.logTail(), e);
            }
        } finally {
            gatewaySchema.drop();
            hrSchema.drop();
        }
    }

    private static GatewayProcess replica(String name, GatewayProcess platform, TestDatabase gatewaySchema,
                                          TestDatabase hrSchema) {
        return GatewayProcess.gateway(name)
                .env("GATEWAY_CLUSTER_MODE", "database")
                .env("GATEWAY_CLUSTER_LEASE_TTL", LEASE_TTL.toSeconds() + "s")
                .database(gatewaySchema)
                .env("HR_DB_URL", hrSchema.url())
                .env("HR_DB_USER", hrSchema.user())
                .env("HR_DB_PASSWORD", hrSchema.password())
                .env("HR_SAMPLE_ENABLED", "true")
                .env("HR_SAMPLE_PEOPLE", Integer.toString(SAMPLE_PEOPLE))
                .env("HR_SYNC_FIRST_RUN_DELAY_MS", "1000")
                .env("HR_SYNC_INCREMENTAL_CRON", "0/5 * * * * ?")
                .env("SIMULATOR_ENABLED", "false")
                .env("SOPHONSIGHT_BASE_URL", platform.baseUrl())
                .env("SOPHONSIGHT_APPKEY", APPKEY)
                .env("SOPHONSIGHT_SECRET", SECRET)
                .env("GATEWAY_PUSH_KEY", PUSH_KEY)
                .env("GATEWAY_API_KEY", "replica-it-api-key")
                .env("GATEWAY_ADMIN_KEY", "replica-it-admin-key");
    }

    private static boolean leads(GatewayProcess replica) throws Exception {
        JsonNode cluster = JSON.readTree(replica.management("/actuator/info").body()).path("cluster");
        return cluster.path("leader").asBoolean(false);
    }

    private static long calls(GatewayProcess platform, String path) throws Exception {
        return state(platform).path("calls").path(path).asLong(0);
    }

    private static String personName(GatewayProcess platform, String thirdId) throws Exception {
        for (JsonNode person : state(platform).path("people")) {
            if (thirdId.equals(person.path("thirdId").asText())) {
                return person.path("name").asText();
            }
        }
        return null;
    }

    private static JsonNode state(GatewayProcess platform) throws Exception {
        return JSON.readTree(platform.get("/simulator/state").body());
    }

    private static void renameInHr(TestDatabase hrSchema, String id, String name) throws SQLException {
        try (Connection connection = hrSchema.connect();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE employee SET name = ?, updated_at = LOCALTIMESTAMP WHERE id = ?")) {
            update.setString(1, name);
            update.setString(2, id);
            assertThat(update.executeUpdate()).as("HR row %s", id).isEqualTo(1);
        }
    }

    private static long count(TestDatabase schema, String query) throws SQLException {
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

}
