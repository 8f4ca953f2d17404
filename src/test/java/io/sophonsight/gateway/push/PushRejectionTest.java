package io.sophonsight.gateway.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.testkit.ChunkedUpload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the receivers do with pushes they must refuse: a 4xx with a JSON reason (never a 5xx), a
 * dead letter with the reason and the caller's address for bad input, nothing stored, and the
 * endpoint still serving the next push. Authentication failures are 401 and never show the key.
 */
class PushRejectionTest extends PushTestSupport {

    private final ObjectMapper mapper = new ObjectMapper();

    static Stream<Arguments> badAccessRecords() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        return Stream.of(
                Arguments.of("not JSON", "userId=E-1&crossTime=1", "not valid JSON"),
                Arguments.of("empty body", "", "empty body"),
                Arguments.of("a JSON array", "[{\"userId\":\"E-1\"}]", "a JSON object was expected, got an array"),
                Arguments.of("JSON null", "null", "a JSON object was expected, got null"),
                Arguments.of("neither form", "{\"hello\":\"world\"}", "neither access-record form"),
                Arguments.of("missing pass time", "{\"userId\":\"E-1\",\"userType\":\"MEMBER\",\"deviceId\":\"BOX-1\"}",
                        "missing required field 'crossTime'"),
                Arguments.of("missing person of a known type",
                        "{\"userType\":\"MEMBER\",\"crossTime\":1764320400000,\"deviceId\":\"BOX-1\"}",
                        "missing required field 'userId'"),
                Arguments.of("object instead of a time",
                        "{\"userId\":\"E-1\",\"crossTime\":{\"ms\":1},\"deviceId\":\"BOX-1\"}",
                        "field 'crossTime' must be a string or a number"),
                Arguments.of("text instead of a score",
                        "{\"userId\":\"E-1\",\"matchScore\":\"high\",\"crossTime\":1764320400000,\"deviceId\":\"BOX-1\"}",
                        "field 'matchScore' must be a number"),
                Arguments.of("image that is not base64",
                        "{\"userId\":\"E-1\",\"crossTime\":1764320400000,\"deviceId\":\"BOX-1\",\"crossSrcPhoto\":\"%%%\"}",
                        "field 'crossSrcPhoto' is not valid base64"),
                Arguments.of("absurd nesting", "{\"userId\":\"E-1\",\"x\":" + deep + "}", "nested too deeply"),
                // values that do not fit the columns are refused here, not acknowledged and then never recorded
                Arguments.of("id longer than its column",
                        "{\"userId\":\"" + "E".repeat(101) + "\",\"crossTime\":1764320400000,\"deviceId\":\"BOX-1\"}",
                        "field 'userId' is longer than 100 characters"),
                Arguments.of("score that fits no score column",
                        "{\"userId\":\"E-1\",\"matchScore\":1e6,\"crossTime\":1764320400000,\"deviceId\":\"BOX-1\"}",
                        "field 'matchScore' must be between"),
                Arguments.of("pass time after the year 9999",
                        "{\"userId\":\"E-1\",\"crossTime\":9223372036854775807,\"deviceId\":\"BOX-1\"}",
                        "before the year 10000"),
                // valid JSON, but PostgreSQL stores no NUL character in text: refused, not a 500 resent forever
                Arguments.of("NUL character in an id",
                        "{\"userId\":\"E-\\u00001\",\"crossTime\":1764320400000,\"deviceId\":\"BOX-1\"}",
                        "field 'userId' contains a NUL character"),
                // random bytes with a NUL: the dead letter keeps them readable (PostgreSQL text takes no NUL)
                Arguments.of("bytes with a NUL", "{\u0000\u00ba}", "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAccessRecords")
    void badInputIsRefusedWithAReasonAndKeptAsADeadLetter(String kind, String body, String reason) throws Exception {
        // Given the number of stored events
        int events = count("SELECT COUNT(*) FROM access_event");

        // When the platform (or anyone with the key) pushes bad input
        HttpResponse<String> reply = push(ACCESS_PATH, body);

        // Then the answer is 400 with the reason as JSON
        assertThat(reply.statusCode()).isEqualTo(400);
        Map<?, ?> json = mapper.readValue(reply.body(), Map.class);
        assertThat(json.get("status")).isEqualTo(400);
        assertThat((String) json.get("message")).contains(reason);

        // And nothing is stored, but a dead letter keeps the reason, the caller's address and the (truncated) input
        assertThat(count("SELECT COUNT(*) FROM access_event")).isEqualTo(events);
        Map<String, Object> deadLetter = jdbc.queryForMap(
                "SELECT * FROM dead_letter WHERE flow = 'access-record-push' ORDER BY id DESC LIMIT 1");
        assertThat((String) deadLetter.get("reason")).contains(reason);
        assertThat(deadLetter.get("source_address")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(((String) deadLetter.get("payload")).length()).isLessThanOrEqualTo(4100);

        // And the endpoint keeps serving
        assertThat(push(ACCESS_PATH, sample("access-platform-minimal.json")).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413WithoutBeingRead() throws Exception {
        // Given a push of 17 MB, over the default limit of 16 MB, sent by a client that reads the answer while it
        // sends (the gateway answers without reading the rest, then closes the connection)
        long huge = 17L * 1024 * 1024;
        Map<String, String> json = Map.of("Content-Type", "application/json");

        // When it is pushed with its length declared
        ChunkedUpload.Answer declared = ChunkedUpload.send(gatewayPort, "POST", ACCESS_PATH + "?key=" + pushKey.value(),
                json, huge, true, 30_000);

        // Then it is refused with 413 and the reason
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.body()).contains("over the limit");
        // without the gateway ever reading it
        assertThat(jdbc.queryForObject("SELECT payload FROM dead_letter WHERE flow = 'access-record-push' "
                + "ORDER BY id DESC LIMIT 1", String.class)).isEqualTo("(body not read)");
        int deadLetters = count("SELECT COUNT(*) FROM dead_letter WHERE flow = 'access-record-push'");

        // And also when it is streamed without a declared length (chunked), with a dead letter of its own
        ChunkedUpload.Answer chunked = ChunkedUpload.send(gatewayPort, "POST", ACCESS_PATH + "?key=" + pushKey.value(),
                json, huge, false, 30_000);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(count("SELECT COUNT(*) FROM dead_letter WHERE flow = 'access-record-push'")).isEqualTo(deadLetters + 1);
        Map<String, Object> deadLetter = jdbc.queryForMap(
                "SELECT * FROM dead_letter WHERE flow = 'access-record-push' ORDER BY id DESC LIMIT 1");
        assertThat((String) deadLetter.get("reason")).contains("413");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedAsBadJsonNotAnsweredWith500() throws Exception {
        // Given a body with bytes that are no UTF-8 (the HTTP binding once decoded bodies as text, and failed)
        byte[] body = {'{', '"', 'u', 's', 'e', 'r', 'I', 'd', '"', ':', '"', (byte) 0xc3, '(', (byte) 0xff, '"', '}'};

        // When it is pushed to both receivers, Then both refuse it as bad JSON with a dead letter
        for (String path : new String[]{ACCESS_PATH, DEVICE_PATH}) {
            HttpResponse<String> reply = push(path, body);
            assertThat(reply.statusCode()).as(path).isEqualTo(400);
            assertThat(reply.body()).as(path).contains("not valid JSON");
        }
    }

    @Test
    void badDeviceStatusIsRefusedToo() throws Exception {
        HttpResponse<String> reply = push(DEVICE_PATH, "{\"deviceId\":\"BOX-1\",\"deviceStatus\":0,\"cameraInfo\":{\"cameraId\":\"C\"}}");
        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.body()).contains("'cameraInfo' must be an array");
        HttpResponse<String> noStatus = push(DEVICE_PATH, "{\"deviceId\":\"BOX-1\"}");
        assertThat(noStatus.statusCode()).isEqualTo(400);
        assertThat(noStatus.body()).contains("missing required field 'deviceStatus'");
        HttpResponse<String> longName = push(DEVICE_PATH, "{\"deviceId\":\"BOX-1\",\"deviceStatus\":0,\"deviceName\":\""
                + "n".repeat(201) + "\"}");
        assertThat(longName.statusCode()).isEqualTo(400);
        assertThat(longName.body()).contains("field 'deviceName' is longer than 200 characters");
        assertThat(count("SELECT COUNT(*) FROM dead_letter WHERE flow = 'device-status-push'")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aPushWithoutTheRightKeyIsRefusedWith401AndTheKeyNeverLogged() throws Exception {
        // Given a log capture of everything the gateway logs
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        int deadLetters = count("SELECT COUNT(*) FROM dead_letter");
        byte[] body = sample("access-platform-minimal.json").getBytes(StandardCharsets.UTF_8);
        try {
            // When pushes arrive without a key, with a wrong key, and with the right one
            HttpResponse<String> none = post(ACCESS_PATH, body);
            HttpResponse<String> wrong = post(ACCESS_PATH + "?key=" + "not-the-key-12345", body);
            HttpResponse<String> wrongDevice = post(DEVICE_PATH + "?key=", body);
            HttpResponse<String> right = push(ACCESS_PATH, body);

            // Then the first three are refused with 401 and a JSON reason, the last accepted
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(mapper.readValue(none.body(), Map.class).get("message")).asString().contains("missing key");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("wrong key");
            assertThat(wrongDevice.statusCode()).isEqualTo(401);
            assertThat(right.statusCode()).isEqualTo(200);
        } finally {
            root.detachAppender(logs);
        }
        // And the refusals are logged, without any key, and without filling the dead-letter table
        assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("refused: wrong key"));
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(pushKey.value())
                || e.getFormattedMessage().contains("not-the-key-12345"));
        assertThat(count("SELECT COUNT(*) FROM dead_letter")).isEqualTo(deadLetters);
    }

    @Test
    void aPushWithAnotherContentTypeIsStillReadAsJson() throws Exception {
        // Given a client that labels its JSON as a form (as curl -d does)
        for (String contentType : new String[]{"application/x-www-form-urlencoded", "text/plain", "application/octet-stream"}) {
            // When it pushes with a wrong key, and with the right one
            HttpResponse<String> wrong = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(gatewayUrl(ACCESS_PATH + "?key=wrong-key")))
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> right = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(gatewayUrl(ACCESS_PATH + "?key=" + pushKey.value())))
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(sample("access-platform-minimal.json"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            // Then the answers are the same as for application/json
            assertThat(wrong.statusCode()).as(contentType).isEqualTo(401);
            assertThat(wrong.body()).as(contentType).contains("wrong key");
            assertThat(right.statusCode()).as(contentType).isEqualTo(200);
            assertThat(right.body()).as(contentType).contains("SUCCESS");
        }
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void anyKeyInAnyLogLineIsMaskedByTheLogPattern(org.springframework.boot.test.system.CapturedOutput output) {
        // Given a library that logs a push URL (Camel, Spring and HTTP clients may log URIs at DEBUG)
        LoggerFactory.getLogger("some.library").warn("calling http://gw/sophonsight/device-status?key=k3y-v4lue&x=1");
        // Then the console line shows the URL with the key masked
        assertThat(output.getOut()).contains("device-status?key=****&x=1").doesNotContain("k3y-v4lue");
    }
}
