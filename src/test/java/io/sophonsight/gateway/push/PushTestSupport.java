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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.testkit.JsonPost;
import org.apache.camel.ConsumerTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Helpers of the push-receiver tests: real HTTP pushes to the gateway, the conformance samples,
 * the gateway's tables, and the JMS queues (every message read is kept, so no test loses another's).
 */
public abstract class PushTestSupport extends GatewayTestSupport {

    protected static final String ACCESS_PATH = "/sophonsight/access-records";
    protected static final String DEVICE_PATH = "/sophonsight/device-status";
    protected static final String ALERTS = "gateway.alerts";
    protected static final String VISITORS = "gateway.visitors";
    protected static final String STRANGERS = "gateway.strangers";
    protected static final String UNCLASSIFIED = "gateway.unclassified";

    private static final Map<String, List<String>> RECEIVED = new ConcurrentHashMap<>();

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected PushKey pushKey;

    @Autowired
    protected ConsumerTemplate consumer;

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

    /** Every message seen on {@code queue} so far (drains the queue into a list kept for the JVM). */
    protected List<String> messagesOn(String queue) {
        List<String> seen = RECEIVED.computeIfAbsent(queue, q -> Collections.synchronizedList(new ArrayList<>()));
        for (String body; (body = consumer.receiveBody("jms:queue:" + queue, 50, String.class)) != null; ) {
            seen.add(body);
        }
        return seen;
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
