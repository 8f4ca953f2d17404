package io.sophonsight.gateway.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.sophonsight.gateway.GatewayApplication;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.push.PushKey;
import io.sophonsight.gateway.testkit.OwnContextBroker;
import io.sophonsight.gateway.testkit.TestDatabase;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The folder the fan-out writes access photos to cannot be written (here: a regular file stands where the folder
 * should be, which stops even root; a full or read-only disk fails the same way). Events with images are
 * acknowledged as usual, then kept PENDING and retried (no dead letter, no half-written record) for as long as
 * the folder is broken; once it is writable again every event is delivered: its files exist with the pushed
 * bytes and its {@code access_record} row points to them.
 *
 * <p>A context of its own (its own data folder, so the shared context's fan-out never sees these events): the
 * shared test context gives up after 3 fan-out attempts (to test dead letters quickly); here the fan-out keeps
 * retrying (fast backoff, many attempts) as production does for minutes.
 * Sizes: {@code -Dreliability.photos.events=20}, {@code -Dreliability.photos.attempts-while-broken=5}.
 */
@CamelSpringBootTest
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
// its broker without MBeans, so the shared broker's stay in JMX
@Import(OwnContextBroker.class)
class ReadOnlyPhotoFolderTest {

    private static final Path OWN_DATA_DIR = GatewayTestSupport.freshFolder("read-only-photos");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void ownContext(DynamicPropertyRegistry registry) {
        // the settings of every test context (GatewayTestSupport's), with a data folder of its own
        registry.add("simulator.enabled", () -> "true");
        registry.add("simulator.port", () -> "0");
        registry.add("sophonsight.base-url", () -> "http://localhost:${local.simulator.port}");
        registry.add("gateway.data-dir", OWN_DATA_DIR::toString);
        // the gateway's own database: H2 under that folder, or with -Ppostgres a PostgreSQL schema of its own
        TestDatabase.fresh("read_only_photos").registerAsGatewayDatabase(registry);
        GatewayTestSupport.quietSchedulesAndFastRetries(registry);
        registry.add("camel.main.name", () -> "sophonsight-gateway-read-only-photos");
        registry.add("camel.main.jmx-enabled", () -> "false");
        registry.add("spring.jmx.enabled", () -> "false");
        registry.add("spring.artemis.embedded.server-id", () -> "61");
        // retried for as long as the test keeps the folder broken, never given up within it
        registry.add("push.fanout.max-attempts", () -> "1000");
        registry.add("push.fanout.max-delay-ms", () -> "300");
    }

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private PushKey pushKey;

    @LocalServerPort
    private int port;

    @Value("${push.fanout.photo-folder}")
    private String photoFolder;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void eventsWithImagesStayPendingWhileThePhotoFolderIsUnwritableAndAreDeliveredOnceItIsBack() throws Exception {
        int events = ReliabilityReport.size("reliability.photos.events", 20);
        int attemptsWhileBroken = ReliabilityReport.size("reliability.photos.attempts-while-broken", 5);
        Path folder = OWN_DATA_DIR.resolve(photoFolder);
        Path aside = OWN_DATA_DIR.resolve(photoFolder + ".aside");

        // Given the photo folder replaced by a regular file of the same name (root ignores permissions, not this)
        if (Files.exists(folder)) {
            Files.move(folder, aside);
        }
        Files.writeString(folder, "not a folder");
        int deadLettersBefore = count("SELECT COUNT(*) FROM dead_letter WHERE flow = 'access-event-fanout'");
        long lastEventBefore = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM access_event", Long.class);

        // When passes with a face and a scene image are pushed
        List<byte[]> faces = new ArrayList<>();
        long firstPassTime = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        for (int i = 0; i < events; i++) {
            byte[] face = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, (byte) i, (byte) (i >> 8), 'f', 'a', 'c', 'e'};
            faces.add(face);
            Map<String, Object> pass = new LinkedHashMap<>();
            pass.put("userId", "RO-" + i);
            pass.put("userType", "MEMBER");
            pass.put("crossTime", firstPassTime + i);
            pass.put("deviceId", "BOX-RO");
            pass.put("crossFacePhoto", Base64.getEncoder().encodeToString(face));
            pass.put("crossSrcPhoto", Base64.getEncoder().encodeToString(new byte[]{(byte) 0x89, 'P', 'N', 'G', (byte) i}));
            // Then each is acknowledged as usual: the images are staged in the database, not yet in files
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/sophonsight/access-records?key=" + pushKey.value()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(pass))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
        }

        // Then, while the folder stays broken, every event is retried again and again, and stays PENDING:
        // no dead letter, no access_record row without its files
        String ours = " FROM access_event WHERE id > " + lastEventBefore;
        long brokenSince = System.nanoTime();
        await("retries while the folder is broken").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> count("SELECT COUNT(*)" + ours + " AND fanout_attempts >= ?", attemptsWhileBroken) == events);
        Duration broken = Duration.ofNanos(System.nanoTime() - brokenSince);
        assertThat(count("SELECT COUNT(*)" + ours)).isEqualTo(events);
        assertThat(count("SELECT COUNT(*)" + ours + " AND fanout_status <> 'PENDING'")).isZero();
        assertThat(jdbc.queryForList("SELECT DISTINCT last_error" + ours, String.class))
                .allSatisfy(error -> assertThat(error).contains("Cannot store file"));
        assertThat(count("SELECT COUNT(*) FROM dead_letter WHERE flow = 'access-event-fanout'")).isEqualTo(deadLettersBefore);
        assertThat(count("SELECT COUNT(*) FROM access_record WHERE event_id > ?", lastEventBefore)).isZero();
        int attempts = count("SELECT SUM(fanout_attempts)" + ours);

        // When the folder is writable again
        Files.delete(folder);
        if (Files.exists(aside)) {
            Files.move(aside, folder);
        }
        long recoveredAt = System.nanoTime();

        // Then every event is delivered: DONE, one record each, its files written with the pushed bytes
        await("delivery after recovery").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> count("SELECT COUNT(*)" + ours + " AND fanout_status = 'DONE'") == events);
        Duration toDeliver = Duration.ofNanos(System.nanoTime() - recoveredAt);
        List<Map<String, Object>> records = jdbc.queryForList("SELECT person_id, face_photo_file, scene_photo_file "
                + "FROM access_record WHERE event_id > ? ORDER BY event_id", lastEventBefore);
        assertThat(records).hasSize(events);
        int files = 0;
        for (Map<String, Object> record : records) {
            int i = Integer.parseInt(((String) record.get("person_id")).substring(3));
            Path face = OWN_DATA_DIR.resolve((String) record.get("face_photo_file"));
            assertThat(face).startsWith(folder).hasBinaryContent(faces.get(i));
            assertThat(OWN_DATA_DIR.resolve((String) record.get("scene_photo_file"))).isRegularFile();
            files += 2;
        }
        assertThat(count("SELECT COUNT(*) FROM access_event_image WHERE dedupe_key IN (SELECT dedupe_key" + ours + ")")).isZero();
        assertThat(count("SELECT COUNT(*) FROM dead_letter WHERE flow = 'access-event-fanout'")).isEqualTo(deadLettersBefore);

        ReliabilityReport.of("ReadOnlyPhotoFolderTest", "Photo folder unwritable",
                        "The fan-out's photo folder cannot be written: events with images stay pending and retried, "
                                + "then are all delivered once it is writable again.")
                .table("figure", "value")
                .row("events with 2 images each, acknowledged", events)
                .row("fan-out attempts while broken (all events)", attempts)
                .row("time kept broken after the pushes (until every event had " + attemptsWhileBroken + " attempts)", broken)
                .row("dead letters while broken", 0)
                .row("records written without their files", 0)
                .row("delivered after recovery (record + 2 files each)", records.size() + " (" + files + " files)")
                .row("time from recovery to all delivered", toDeliver)
                .row("lost", events - records.size())
                .note("Fan-out retries: up to 1000 attempts, backoff 50 ms doubling to 300 ms (test settings; "
                        + "production defaults: 10 attempts, 1 s doubling to 5 min, about 8.5 minutes of retries before a dead letter).")
                .write();
    }

    private int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }
}
