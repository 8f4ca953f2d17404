package io.sophonsight.gateway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Replays access-record pushes through the gateway's real receiver and reports where each one landed
 * once the fan-out is done: its {@code access_record} row, the JMS queues that got it, the files
 * written. The engine of {@link FlowTestSupport}; usable on its own in a test class with a context of
 * its own (see {@code RecipesTest}).
 *
 * <p>Each replay is made a new pass, so a sample can be replayed any number of times and never meets
 * an earlier copy as a duplicate: its pass time ({@code crossTime} or {@code timestamp}) is replaced by
 * a fresh one, and a {@code photoId} gets that time as a suffix (a stranger's dedupe key is its face
 * id). Everything else is sent as it is.
 */
public final class FlowProbe {

    /** Folder of the platform's sample pushes (copied from the spec). */
    public static final Path SAMPLES = Path.of("src/test/resources/conformance/push-samples");

    /** Pass times of replays: mid-2025, apart from the other tests' ranges and from "now" (the pollers' windows). */
    private static final AtomicLong PASS_TIME = new AtomicLong(1_750_000_000_000L + (System.nanoTime() % 1_000_000) * 1000);

    private static final List<String> PHOTO_COLUMNS = List.of("enrolled_photo_file", "scene_photo_file", "face_photo_file");

    private final String receiverUrl;
    private final String pushKey;
    private final JdbcTemplate gatewayDb;
    private final JmsTemplate jms;
    private final Path dataDir;
    private final Map<String, String> queues;
    private static final ObjectMapper JSON = new ObjectMapper();
    private Duration timeout = Duration.ofSeconds(10);

    /**
     * @param receiverUrl the access-record receiver, e.g. {@code http://localhost:8080/sophonsight/access-records}
     * @param pushKey     the {@code ?key=} of the push URL
     * @param gatewayDb   the gateway's own database
     * @param jms         a template on the gateway's broker; queues are browsed, never drained
     * @param environment the gateway's settings: the queues are every {@code push.queues.*} and the data
     *                    folder is {@code gateway.data-dir}, so a queue added there is watched too
     */
    public FlowProbe(String receiverUrl, String pushKey, JdbcTemplate gatewayDb, JmsTemplate jms, Environment environment) {
        this.receiverUrl = receiverUrl;
        this.pushKey = pushKey;
        this.gatewayDb = gatewayDb;
        this.jms = jms;
        this.dataDir = Path.of(environment.getRequiredProperty("gateway.data-dir"));
        this.queues = Collections.unmodifiableMap(new TreeMap<>(Binder.get(environment)
                .bind("push.queues", Bindable.mapOf(String.class, String.class)).orElse(Map.of())));
    }

    /** How long {@link #replay} waits for the fan-out (10 s unless changed). */
    public FlowProbe timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** The queues watched, by their key under {@code push.queues} (e.g. {@code alerts -> gateway.alerts}). */
    public Map<String, String> queues() {
        return queues;
    }

    /** The text of a sample push of {@code src/test/resources/conformance/push-samples}. */
    public static String sample(String fileName) {
        try {
            return Files.readString(SAMPLES.resolve(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every access-record sample (the {@code access-*.json} files), by file name. */
    public static List<String> accessSamples() {
        try (var files = Files.list(SAMPLES)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("access-") && n.endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replays the sample {@code fileName} and waits for its fan-out. */
    public Landing replaySample(String fileName) {
        return replay(sample(fileName));
    }

    /**
     * Pushes {@code json} (either form of docs/sophonsight-openapi.md §4.1, as a new pass) to the receiver with the push key,
     * expects the platform's answer {@code SUCCESS}, waits until the fan-out is done and reports where
     * the event landed. Fails if the receiver refuses it or the fan-out gives up on it (DEAD).
     */
    public Landing replay(String json) {
        long passTime = PASS_TIME.addAndGet(1000);
        String body = asNewPass(json, passTime);
        HttpResponse<String> answer = post(body);
        if (answer.statusCode() != 200 || !answer.body().contains("SUCCESS")) {
            throw new AssertionError("the receiver refused the push: HTTP " + answer.statusCode() + " " + answer.body());
        }
        Map<String, Object> event = await("fan-out of the pass at " + passTime)
                .atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> eventAt(passTime), row -> row != null && !"PENDING".equals(row.get("fanout_status")));
        if (!"DONE".equals(event.get("fanout_status"))) {
            throw new AssertionError("the fan-out gave up on the event (" + event.get("fanout_status") + "): " + event.get("last_error"));
        }
        return landing(event);
    }

    /** Pushes {@code json} exactly as given, without waiting; the receiver's answer (for refusals). */
    public HttpResponse<String> pushAsIs(String json) {
        return post(json);
    }

    /**
     * {@code json} (either form) as a new pass at {@code passTime}: its pass time replaced, its photo id made
     * unique, so it is stored as an event of its own even if another test pushed the same sample.
     */
    public static String asNewPass(String json, long passTime) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            boolean timed = false;
            for (String field : List.of("crossTime", "timestamp")) {
                if (node.has(field)) {
                    node.put(field, passTime);
                    timed = true;
                }
            }
            if (!timed) {
                throw new IllegalArgumentException("not an access-record push: no crossTime (form P) nor timestamp (form B)");
            }
            if (node.hasNonNull("photoId") && !node.get("photoId").asText().isBlank()) {
                node.put("photoId", node.get("photoId").asText() + "-" + passTime);
            }
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
        }
    }

    private HttpResponse<String> post(String body) {
        return JsonPost.send(URI.create(receiverUrl + "?key=" + pushKey), body.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, Object> eventAt(long passTime) {
        List<Map<String, Object>> rows = gatewayDb.queryForList(
                "SELECT id, dedupe_key, person_type, fanout_status, last_error FROM access_event WHERE pass_time = ?",
                new Timestamp(passTime));
        if (rows.size() > 1) {
            throw new AssertionError("two events share the replayed pass time " + passTime + ": " + rows);
        }
        return rows.isEmpty() ? null : rows.get(0);
    }

    private Landing landing(Map<String, Object> event) {
        String dedupeKey = (String) event.get("dedupe_key");
        List<Map<String, Object>> records = gatewayDb.queryForList("SELECT * FROM access_record WHERE event_id = ?", event.get("id"));
        Map<String, List<String>> messages = new LinkedHashMap<>();
        queues.values().stream().distinct().forEach(queue -> {
            List<String> found = browse(queue, dedupeKey);
            if (!found.isEmpty()) {
                messages.put(queue, found);
            }
        });
        List<Path> files = new ArrayList<>();
        if (!records.isEmpty()) {
            for (String column : PHOTO_COLUMNS) {
                Object file = records.get(0).get(column);
                if (file != null) {
                    files.add(dataDir.resolve(file.toString()));
                }
            }
        }
        return new Landing(((Number) event.get("id")).longValue(), dedupeKey, (String) event.get("person_type"),
                records.isEmpty() ? null : records.get(0), messages, files, dataDir);
    }

    /** The messages of one event on {@code queue} (JMS property DedupeKey), left on the queue. */
    private List<String> browse(String queue, String dedupeKey) {
        return jms.browseSelected(queue, "DedupeKey = '" + dedupeKey + "'", (session, browser) -> {
            List<String> bodies = new ArrayList<>();
            for (var e = browser.getEnumeration(); e.hasMoreElements(); ) {
                bodies.add(text((Message) e.nextElement()));
            }
            return bodies;
        });
    }

    private static String text(Message message) throws JMSException {
        return message instanceof TextMessage t ? t.getText() : message.getBody(String.class);
    }
}
