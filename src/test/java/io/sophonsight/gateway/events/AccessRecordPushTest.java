package io.sophonsight.gateway.events;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.push.PushTestSupport;
import io.sophonsight.gateway.simulator.SimulatorState;
import io.sophonsight.gateway.testkit.FlowProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access-record receiver end to end over real HTTP: both forms normalised, stored once,
 * acknowledged, then routed by the content-based router of routes/access-event-fanout.camel.yaml
 * to the access_record table, the queues and the photo folder.
 */
class AccessRecordPushTest extends PushTestSupport {

    /** Pass times unique to this JVM, so tests never collide with each other's events. */
    private static final AtomicLong PASS_TIME = new AtomicLong(1_700_000_000_000L + (System.nanoTime() % 1_000_000) * 1000);
    private static final byte[] JPEG = Base64.getDecoder().decode(
            "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0"
                    + "Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8A"
                    + "KmX/2Q==");

    @Autowired
    private ObjectMapper mapper;

    static long nextPassTime() {
        return PASS_TIME.addAndGet(1000);
    }

    private Map<String, Object> platformEvent(String userId, String userType, long crossTime) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("userId", userId);
        event.put("userName", "Person " + userId);
        event.put("userType", userType);
        event.put("matchScore", 0.9);
        event.put("photoId", "cap-" + crossTime + ".jpg");
        event.put("crossTime", crossTime);
        event.put("deviceId", "BOX-T");
        event.put("cameraId", "CAM-T");
        return event;
    }

    private HttpResponse<String> pushJson(Object event) throws Exception {
        return push(ACCESS_PATH, mapper.writeValueAsBytes(event));
    }

    static Stream<Arguments> samples() {
        // sample, person id (null: stranger), queue it must reach (null: table only), image files
        return Stream.of(
                Arguments.of("access-platform-minimal.json", "E-0001", null, 0),
                Arguments.of("access-platform-full.json", "V-77", VISITORS, 3),
                Arguments.of("access-platform-blacklist.json", "B-13", ALERTS, 0),
                Arguments.of("access-box-employee.json", "E-0002", null, 2),
                Arguments.of("access-box-stranger.json", null, STRANGERS, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyConformanceSampleIsAcknowledgedRecordedAndRouted(String sample, String personId, String queue,
                                                               int imageFiles) {
        // Given a sample push of the platform contract, as a pass of its own: other tests push the samples too,
        // so its pass time (the row it is found by) is one only this test uses
        long passTime = nextPassTime();
        String push = FlowProbe.asNewPass(sample(sample), passTime);

        // When the platform pushes it
        HttpResponse<String> reply = push(ACCESS_PATH, push);

        // Then it is acknowledged as the platform expects
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"status\":0,\"message\":\"SUCCESS\"}");

        // And the fan-out writes the access_record row, with file paths instead of base64
        Map<String, Object> record = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> jdbc.queryForList("SELECT r.* FROM access_record r JOIN access_event e ON e.id = r.event_id"
                        + " WHERE r.pass_time = ? AND e.fanout_status = 'DONE'", new java.sql.Timestamp(passTime))
                        .stream().findFirst().orElse(null), r -> r != null);
        assertThat(record.get("person_id")).isEqualTo(personId);
        List<String> files = Stream.of("enrolled_photo_file", "scene_photo_file", "face_photo_file")
                .map(c -> (String) record.get(c)).filter(f -> f != null).toList();
        assertThat(files).hasSize(imageFiles);
        files.forEach(f -> assertThat(DATA_DIR.resolve(f)).isRegularFile());

        // And the event reaches the queue of its lane, as JSON without base64
        if (queue != null) {
            String dedupeKey = jdbc.queryForObject("SELECT dedupe_key FROM access_event WHERE id = ?", String.class,
                    record.get("event_id"));
            String message = awaitMessage(queue, m -> m.contains(dedupeKey));
            assertThat(message).doesNotContain("/9j/");
        }
    }

    @Test
    void bothFormsAreNormalisedIntoOneCanonicalEvent() throws Exception {
        // Given an AI-box push with numbers sent as strings and ids padded with spaces
        long passTime = nextPassTime();
        String vip = uniqueId("VIP");
        Map<String, Object> ext = new LinkedHashMap<>();
        ext.put("device_ip", " 10.9.9.9 ");
        ext.put("person_type", "5");
        ext.put("device_type", "4");
        Map<String, Object> box = new LinkedHashMap<>();
        box.put("identity_id", "  " + vip + " ");
        box.put("identity_name", "Very Important");
        box.put("device_id", " 6f1c-uuid ");
        box.put("identity_info", Map.of("user_id", vip));
        box.put("timestamp", String.valueOf(passTime));
        box.put("score", "0.8765");
        box.put("ext_data", ext);

        // When it is pushed
        assertThat(pushJson(box).statusCode()).isEqualTo(200);

        // Then the record holds the canonical values; device_id names the capture device (the camera), no box
        Map<String, Object> record = awaitRecord(vip, passTime);
        assertThat(record).containsEntry("person_type", "vip").containsEntry("raw_person_type", "5")
                .containsEntry("source_form", "B").containsEntry("box_id", null).containsEntry("camera_id", "6f1c-uuid")
                .containsEntry("camera_ip", "10.9.9.9").containsEntry("camera_type", 4)
                .containsEntry("person_name", "Very Important");
        assertThat(((Number) record.get("score")).doubleValue()).isEqualTo(0.8765);
    }

    @Test
    void aResentPushIsAcknowledgedAgainButStoredOnce() throws Exception {
        // Given a pass already pushed and stored
        long passTime = nextPassTime();
        String person = uniqueId("E-DUP");
        Map<String, Object> event = platformEvent(person, "MEMBER", passTime);
        assertThat(pushJson(event).statusCode()).isEqualTo(200);

        // When the platform sends it again (it resends when unsure), and the AI box reports the same pass
        assertThat(pushJson(event).statusCode()).isEqualTo(200);
        Map<String, Object> boxForm = new LinkedHashMap<>();
        boxForm.put("identity_id", person);
        boxForm.put("device_id", "some-box-uuid");
        boxForm.put("timestamp", passTime);
        boxForm.put("ext_data", Map.of("person_type", 1));
        HttpResponse<String> again = pushJson(boxForm);

        // Then every push is acknowledged, and there is one event and one record
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("SUCCESS");
        awaitRecord(person, passTime);
        assertThat(count("SELECT COUNT(*) FROM access_event WHERE event_json LIKE ?", "%\"" + person + "\"%")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM access_record WHERE person_id = ?", person)).isEqualTo(1);
    }

    @Test
    void theAcknowledgementIsJsonAndEchoesNothingOfTheRequest() throws Exception {
        // Given a pass pushed with the key in its URL and a header of the caller's own
        long passTime = nextPassTime();
        String person = uniqueId("E-ACK");
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(gatewayUrl(ACCESS_PATH + "?key=" + pushKey.value())))
                .header("Content-Type", "application/json")
                .header("X-Platform-Trace", "trace-4711")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                        mapper.writeValueAsBytes(platformEvent(person, "MEMBER", passTime))))
                .build();

        // When the gateway acknowledges it
        HttpResponse<String> reply = java.net.http.HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString());

        // Then the answer is the platform's SUCCESS as JSON, and neither the key, the caller's header nor
        // the route's own headers travel back
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"status\":0,\"message\":\"SUCCESS\"}");
        assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(reply.headers().map().keySet()).noneMatch(name -> name.equalsIgnoreCase("key")
                || name.equalsIgnoreCase("X-Platform-Trace") || name.equalsIgnoreCase("AccessEventStoreResult")
                || name.equalsIgnoreCase("PushKind"));
        assertThat(reply.headers().map().values().toString()).doesNotContain(pushKey.value());
        awaitRecord(person, passTime);
    }

    @Test
    void anUnknownPersonTypeIsKeptAndRoutedToTheUnclassifiedLane() throws Exception {
        // Given a pass of a person type the gateway does not know
        long passTime = nextPassTime();
        // When it is pushed
        String contractor = uniqueId("C");
        assertThat(pushJson(platformEvent(contractor, "CONTRACTOR", passTime)).statusCode()).isEqualTo(200);
        // Then it is recorded as unknown, with the type as sent, and reaches the unclassified queue
        Map<String, Object> record = awaitRecord(contractor, passTime);
        assertThat(record).containsEntry("person_type", "unknown").containsEntry("raw_person_type", "CONTRACTOR");
        awaitMessage(UNCLASSIFIED, m -> m.contains("\"personId\":\"" + contractor + "\""));
    }

    @Test
    void aBlacklistPassRaisesAnAlert() throws Exception {
        long passTime = nextPassTime();
        String blacklisted = uniqueId("BL");
        assertThat(pushJson(platformEvent(blacklisted, "BLACKLIST", passTime)).statusCode()).isEqualTo(200);
        String alert = awaitMessage(ALERTS, m -> m.contains("\"personId\":\"" + blacklisted + "\""));
        assertThat(alert).contains("\"personType\":\"blacklist\"");
    }

    @Test
    void imageFileNamesAreGeneratedNeverTakenFromThePayload() throws Exception {
        // Given a push whose photo ids try to climb out of the photo folder
        long passTime = nextPassTime();
        String person = uniqueId("E-IMG");
        Map<String, Object> event = platformEvent(person, "VISITOR", passTime);
        event.put("photoId", "../../x");
        event.put("userPhotoId", "../../../etc/passwd");
        event.put("crossFaceId", "/tmp/evil.jpg");
        String image = Base64.getEncoder().encodeToString(JPEG);
        event.put("userPhoto", image);
        event.put("crossSrcPhoto", image);
        event.put("crossFacePhoto", "data:image/jpeg;base64," + image);

        // When it is pushed
        assertThat(pushJson(event).statusCode()).isEqualTo(200);

        // Then the three files are inside the photo folder, named after the gateway's event id
        Map<String, Object> record = awaitRecord(person, passTime);
        Path photos = DATA_DIR.resolve("access-photos").toRealPath();
        for (String column : List.of("enrolled_photo_file", "scene_photo_file", "face_photo_file")) {
            String file = (String) record.get(column);
            assertThat(file).matches("access-photos/\\d{4}/\\d{2}/\\d{2}/" + record.get("event_id") + "-[a-z]+\\.jpg");
            Path real = DATA_DIR.resolve(file).toRealPath();
            assertThat(real.startsWith(photos)).isTrue();
            assertThat(Files.readAllBytes(real)).isEqualTo(JPEG);
        }
        // the ids are kept as data, nothing was written where they point
        assertThat(record).containsEntry("photo_id", "../../x");
        assertThat(DATA_DIR.resolve("x")).doesNotExist();
        assertThat(DATA_DIR.getParent().resolve("x")).doesNotExist();
        // and the staged base64 is gone once the files exist
        assertThat(count("SELECT COUNT(*) FROM access_event_image i JOIN access_event e ON e.dedupe_key = i.dedupe_key"
                + " WHERE e.id = ?", record.get("event_id"))).isZero();
    }

    @Test
    void sqlLookingTextIsStoredAsText() throws Exception {
        long passTime = nextPassTime();
        String person = uniqueId("E-SQL");
        Map<String, Object> event = platformEvent(person, "MEMBER", passTime);
        event.put("userName", "Robert'); DROP TABLE access_record;--");
        assertThat(pushJson(event).statusCode()).isEqualTo(200);
        Map<String, Object> record = awaitRecord(person, passTime);
        assertThat(record.get("person_name")).isEqualTo("Robert'); DROP TABLE access_record;--");
    }

    @Test
    void theSimulatorsPushesFlowIntoTheTableAndTheQueues() {
        // Given the built-in simulator pushing to the gateway's own receivers (default URLs + push key)
        // When it pushes two visitor passes, one per form, with images
        simulator.pusher().pushAccess("P", "VISITOR", 1, true, null)
                .forEach(r -> assertThat(r.httpStatus()).as(r.toString()).isEqualTo(200));
        simulator.pusher().pushAccess("B", "VISITOR", 1, true, null)
                .forEach(r -> assertThat(r.httpStatus()).as(r.toString()).isEqualTo(200));
        // Then both are recorded as visitors: the passes the simulator keeps of this test (reset before it)
        List<SimulatorState.AccessRecord> pushed = simulator.state().records("visitor");
        assertThat(pushed).hasSize(2);
        for (SimulatorState.AccessRecord pass : pushed) {
            Map<String, Object> record = awaitRecord(String.valueOf(pass.fields().get("visitorId")), pass.crossTime());
            assertThat(record).containsEntry("person_type", "visitor");
        }
    }
}
