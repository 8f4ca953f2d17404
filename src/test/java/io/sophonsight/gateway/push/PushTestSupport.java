package io.sophonsight.gateway.push;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.testkit.JsonPost;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Helpers of the push-receiver tests: real HTTP pushes to the gateway, the conformance samples,
 * the gateway's tables, and the JMS queues. The queues are shared by every class of the test JVM: a test reads
 * them into a list of its own ({@link #messagesOn}) and picks its messages by ids it generated
 * ({@link #uniqueId}, pass times), never by a type or a fixed id another class may push too.
 */
public abstract class PushTestSupport extends GatewayTestSupport {

    protected static final String ACCESS_PATH = "/sophonsight/access-records";
    protected static final String DEVICE_PATH = "/sophonsight/device-status";
    protected static final String ALERTS = "gateway.alerts";
    protected static final String VISITORS = "gateway.visitors";
    protected static final String STRANGERS = "gateway.strangers";
    protected static final String UNCLASSIFIED = "gateway.unclassified";

    /** The messages this test (one instance per test method) has read, by queue. */
    private final Map<String, List<String>> received = new ConcurrentHashMap<>();

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected PushKey pushKey;

    @Autowired
    protected JmsTemplate jms;

    protected HttpResponse<String> push(String path, byte[] body) {
        return post(path + "?key=" + pushKey.value(), body);
    }

    protected HttpResponse<String> push(String path, String body) {
        return push(path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    protected HttpResponse<String> post(String pathAndQuery, byte[] body) {
        return JsonPost.send(URI.create(gatewayUrl(pathAndQuery)), body);
    }

    /** An operator's {@code POST /gateway/dead-letters/replay}, with the admin key and no body. */
    protected HttpResponse<String> replayDeadLetters() {
        try {
            return HttpClient.newHttpClient().send(adminRequest("/gateway/dead-letters/replay")
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static String sample(String name) {
        try {
            return Files.readString(Path.of("src/test/resources/conformance/push-samples", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A pass in the platform form (spec 4.1, form P): who, which person type, when, at which box and camera. */
    protected static Map<String, Object> platformPass(String userId, String userType, long passTime, String boxId, String cameraId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("userId", userId);
        event.put("userType", userType);
        event.put("crossTime", passTime);
        event.put("deviceId", boxId);
        if (cameraId != null) {
            event.put("cameraId", cameraId);
        }
        return event;
    }

    /** An id no other test of this JVM uses, e.g. {@code V-RETRY-1a2b3c4d} for a person or a box. */
    protected static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Every message this test has seen on {@code queue} (drains the queue into this test's list). Messages other
     * tests left there are in it too: match on ids of your own.
     */
    protected List<String> messagesOn(String queue) {
        List<String> seen = received.computeIfAbsent(queue, q -> Collections.synchronizedList(new ArrayList<>()));
        seen.addAll(drain(queue));
        return seen;
    }

    /**
     * Reads {@code queue} empty with ONE consumer. (A consumer per message, as a polling template makes, has the
     * broker hand it the whole backlog each time: quadratic in what earlier classes left on the queue.)
     */
    private List<String> drain(String queue) {
        return jms.execute(session -> {
            List<String> bodies = new ArrayList<>();
            try (MessageConsumer reader = session.createConsumer(session.createQueue(queue))) {
                for (Message message; (message = reader.receive(50)) != null; ) {
                    bodies.add(message instanceof TextMessage text ? text.getText() : message.getBody(String.class));
                }
            }
            return bodies;
        }, true);
    }

    /** Waits (10 s at most) for a message on {@code queue} matching {@code match}, and returns it. */
    protected String awaitMessage(String queue, Predicate<String> match) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> messagesOn(queue).stream().filter(match).findFirst().orElse(null), m -> m != null);
    }

    protected Map<String, Object> eventRow(String personId, long passTime) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT * FROM access_event WHERE event_json LIKE ? AND pass_time = ?",
                "%\"personId\":\"" + personId + "\"%", new java.sql.Timestamp(passTime));
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Waits until the fan-out has marked the event of {@code personId} at {@code passTime} DONE; its access_record row. */
    protected Map<String, Object> awaitRecord(String personId, long passTime) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT r.* FROM access_record r JOIN access_event e ON e.id = r.event_id "
                            + "WHERE r.person_id = ? AND r.pass_time = ? AND e.fanout_status = 'DONE'",
                    personId, new java.sql.Timestamp(passTime));
            return rows.isEmpty() ? null : rows.get(0);
        }, r -> r != null);
    }

    protected int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }
}
