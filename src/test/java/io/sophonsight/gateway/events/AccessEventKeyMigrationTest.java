package io.sophonsight.gateway.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.push.PushJson;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade does not double the events stored before it: a database at V51 holding events keyed the
 * old way ({@code |}-joined fields) is migrated (V56 columns, V57 keys recomputed by Java), and then the
 * platform resends a push, the query reads records of pushed passes and re-reads its own records.
 * H2 always; the gateway's PostgreSQL too with {@code -Ppostgres} (a fresh schema).
 */
class AccessEventKeyMigrationTest {

    private static final long T = 1_764_000_000_000L;

    private final ObjectMapper mapper = new ObjectMapper();
    private final AccessEventNormalizer normalizer = new AccessEventNormalizer(new PushJson(32, DataSize.ofMegabytes(16)));
    private final AccessEventStore store = new AccessEventStore(mapper);
    private final List<DataSource> databases = new ArrayList<>();
    private final List<String> schemas = new ArrayList<>();
    private DataSource database;
    private JdbcTemplate jdbc;

    @BeforeEach
    void databasesBeforeTheUpgrade() {
        databases.add(new DriverManagerDataSource("jdbc:h2:mem:upgrade-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", ""));
        schemas.add(null);
        if (GatewayTestSupport.onPostgres()) {
            String schema = "upgrade_" + Long.toHexString(System.nanoTime());
            String url = System.getProperty("gateway.test.postgres-url");
            databases.add(new DriverManagerDataSource(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                    System.getProperty("gateway.test.postgres-user", "gateway"),
                    System.getProperty("gateway.test.postgres-password", "gateway")));
            schemas.add(schema);
        }
    }

    /** The PostgreSQL schema of this test is dropped again; H2 in memory goes with the JVM. */
    @org.junit.jupiter.api.AfterEach
    void dropSchemas() {
        for (int i = 0; i < databases.size(); i++) {
            if (schemas.get(i) != null) {
                new JdbcTemplate(databases.get(i)).execute("DROP SCHEMA " + schemas.get(i) + " CASCADE");
            }
        }
    }

    private Flyway flyway(String target) {
        var configuration = Flyway.configure().dataSource(database).locations("classpath:db/migration");
        if (schemas.get(databases.indexOf(database)) != null) {
            configuration.schemas(schemas.get(databases.indexOf(database)));
        }
        if (target != null) {
            configuration.target(target);
        }
        return configuration.load();
    }

    @Test
    void eventsStoredBeforeTheUpgradeAreRecognisedAfterIt() throws Exception {
        for (DataSource each : databases) {
            database = each;
            jdbc = new JdbcTemplate(database);
            flyway("51").migrate();
            upgradeAndCheck();
        }
    }

    private void upgradeAndCheck() throws Exception {
        // Given events stored by the old gateway: a form P push (with staged images), a form B push (device_id
        // kept as the box), a box stranger without face id, and an employee record read by query (no record id)
        legacyRow("person:E-1|" + T, event("P", "E-1", T, "BOX-1", "CAM-1", null, "f1.jpg"), true);
        legacyRow("person:E-2|" + (T + 1000), event("B", "E-2", T + 1000, "uuid-cam-2", null, null, null), false);
        legacyRow("place:uuid-cam-3||" + (T + 2000), event("B", null, T + 2000, "uuid-cam-3", null, null, null), false);
        Map<String, Object> queried = event("query", "E-4", T + 3000, null, null, "Gate 4", "f4.jpg");
        queried.put(AccessEvent.RAW_PERSON_TYPE, "employee");
        legacyRow("person:E-4|" + (T + 3000), queried, false);

        // When the gateway is upgraded
        flyway(null).migrate();

        // Then the keys are the new collision-free ones, each row under its source's key, staged images following
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM access_event WHERE push_key IS NOT NULL", Integer.class)).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM access_event WHERE query_key IS NOT NULL", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM access_event_image i JOIN access_event e ON e.dedupe_key = i.dedupe_key",
                Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT camera_id FROM access_event WHERE person_id = 'E-2'", String.class))
                .isEqualTo("uuid-cam-2");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM access_identity_lock", Integer.class)).isEqualTo(AccessEventKeys.STRIPES);

        // And what the platform sends after the upgrade finds them: resends are duplicates, the query records of
        // the pushed passes are matched, and the record read by query before is recognised when read again
        AccessEventWriter writer = writer();
        assertThat(store(writer, push("{\"userId\":\"E-1\",\"userType\":\"MEMBER\",\"photoId\":\"f1.jpg\",\"crossTime\":" + T
                + ",\"deviceId\":\"BOX-1\",\"cameraId\":\"CAM-1\"}"))).isEqualTo("duplicate");
        assertThat(store(writer, push("{\"identity_id\":\"E-2\",\"timestamp\":" + (T + 1000) + ",\"device_id\":\"uuid-cam-2\"}")))
                .isEqualTo("duplicate");
        assertThat(store(writer, push("{\"identity_id\":\"\",\"timestamp\":" + (T + 2000)
                + ",\"device_id\":\"uuid-cam-3\",\"ext_data\":{\"person_type\":4}}"))).isEqualTo("duplicate");
        assertThat(store(writer, record(11, 501, "E-1", "CAM-1", T, "f1.jpg"))).isEqualTo("matched");
        assertThat(store(writer, record(12, 502, "E-2", "Gate 2", T + 1000, null))).isEqualTo("matched");
        assertThat(store(writer, record(14, 504, "E-4", "Gate 4", T + 3000, "f4.jpg"))).isEqualTo("duplicate");
        assertThat(store(writer, record(14, 504, "E-4", "Gate 4", T + 3000, "f4.jpg"))).isEqualTo("duplicate");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM access_event", Integer.class)).isEqualTo(4);
        assertThat(jdbc.queryForObject("SELECT record_id FROM access_event WHERE person_id = 'E-4'", String.class)).isEqualTo("14");
    }

    private Map<String, Object> event(String form, String personId, long passTime, String boxId, String cameraId,
                                      String cameraName, String photoId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put(AccessEvent.SOURCE_FORM, form);
        event.put(AccessEvent.PERSON_ID, personId);
        event.put(AccessEvent.PERSON_TYPE, personId == null ? "stranger" : "employee");
        event.put(AccessEvent.RAW_PERSON_TYPE, "MEMBER");
        event.put(AccessEvent.PASS_TIME, passTime);
        event.put(AccessEvent.BOX_ID, boxId);
        event.put(AccessEvent.CAMERA_ID, cameraId);
        event.put(AccessEvent.CAMERA_NAME, cameraName);
        event.put(AccessEvent.PHOTO_ID, photoId);
        event.put(AccessEvent.CROSS_FACE_ID, "query".equals(form) ? photoId : null);
        return event;
    }

    /** A row as the gateway before V56 stored it: SHA-256 of the |-joined natural key. */
    private void legacyRow(String naturalKey, Map<String, Object> event, boolean images) throws Exception {
        String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(naturalKey.getBytes(StandardCharsets.UTF_8)));
        event.put(AccessEvent.DEDUPE_KEY, key);
        jdbc.update("INSERT INTO access_event (dedupe_key, source_form, person_type, pass_time, event_json, has_images) "
                + "VALUES (?, ?, ?, ?, ?, ?)", key, event.get(AccessEvent.SOURCE_FORM), event.get(AccessEvent.PERSON_TYPE),
                new Timestamp((Long) event.get(AccessEvent.PASS_TIME)), mapper.writeValueAsString(event), images);
        if (images) {
            jdbc.update("INSERT INTO access_event_image (dedupe_key, images_json) VALUES (?, ?)", key, "{\"face\":\"/9j/AA\"}");
        }
    }

    private Map<String, Object> push(String json) {
        return normalizer.normalize(json.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, Object> record(long id, long userId, String thirdUserId, String nodeName, long crossTime, String fid) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", id);
        record.put("userId", userId);
        record.put("thirdUserId", thirdUserId);
        record.put("nodeName", nodeName);
        record.put("crossTime", crossTime);
        record.put("fid", fid);
        record.put("faceFid", fid);
        return normalizer.fromQuery("employee", record);
    }

    private String store(AccessEventWriter writer, Map<String, Object> event) throws Exception {
        return writer.insert(store.row(event));
    }

    private AccessEventWriter writer() {
        return new AccessEventWriter(database, new DataSourceTransactionManager(database), store,
                1, Duration.ofSeconds(5), new SimpleMeterRegistry());
    }
}
