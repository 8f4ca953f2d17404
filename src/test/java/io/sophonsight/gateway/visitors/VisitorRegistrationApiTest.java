package io.sophonsight.gateway.visitors;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.sophonsight.gateway.simulator.SimulatorFaults;
import io.sophonsight.gateway.simulator.SimulatorState;
import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The visitor REST API ({@code POST /api/visitors}, {@code GET /api/visitors/{id}}) against the built-in
 * simulator over real HTTP. Doubles as examples of what a reception system sends and gets back.
 */
class VisitorRegistrationApiTest extends VisitorTestSupport {

    @Autowired
    private ServletContext servletContext;

    @Test
    void visitorIsRegisteredWithAuditByDefaultAndItsPhotoIsOnThePlatform() {
        // Given a visitor with a PNG photo and no needsAudit field
        byte[] photo = image("png", 1);
        Map<String, Object> fields = visitor("Ada Visitor", photo);
        fields.put("hostEmployeeId", "E-1001");
        fields.put("reason", "Contract signing");

        // When it is posted
        Answer answer = postJson(fields);

        // Then the gateway answers 201 with the registration
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body()).containsEntry("status", "REGISTERED").containsEntry("name", "Ada Visitor")
                .containsEntry("needsAudit", true).containsEntry("hostEmployeeId", "E-1001")
                .containsEntry("reason", "Contract signing").containsEntry("platformStatus", 0)
                .containsEntry("attempts", 1).containsEntry("source", "REST");
        String id = (String) answer.body().get("id");
        assertThat(answer.location()).isEqualTo("/api/visitors/" + id);

        // And the platform holds the visitor, waiting for an administrator's approval, with the uploaded photo
        SimulatorState.Visitor onPlatform = onlyVisitorOnPlatform();
        assertThat(onPlatform.name()).isEqualTo("Ada Visitor");
        assertThat(onPlatform.needsAudit()).isTrue();
        assertThat(onPlatform.auditStatus()).isEqualTo("PENDING_AUDIT");
        assertThat(onPlatform.startTime()).isEqualTo(fields.get("startTime"));
        assertThat(onPlatform.endTime()).isEqualTo(fields.get("endTime"));
        assertThat(onPlatform.photoId()).isEqualTo(answer.body().get("photoId"));
        assertThat(simulator.state().photo(onPlatform.photoId())).isEqualTo(photo);

        // And the kept photo is gone from the gateway once the platform has it
        assertThat(photoStore.isKept((String) registrationRow(id).get("photo_file"))).isFalse();

        // And GET returns the same registration
        Answer read = get(id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).containsEntry("id", id).containsEntry("status", "REGISTERED")
                .containsEntry("photoId", onPlatform.photoId());
    }

    @Test
    void visitorWithoutAuditIsApprovedAtOnceAndIsoTimesWithZoneAreAccepted() {
        // Given a visitor with a JPEG photo, needsAudit false and ISO-8601 times with an offset
        byte[] photo = image("jpg", 2);
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(8)).plusHours(2).withNano(0);
        Map<String, Object> fields = visitor("Grace Visitor", photo);
        fields.put("startTime", start.toString());
        fields.put("endTime", start.plusHours(4).toString());
        fields.put("needsAudit", false);

        // When it is posted
        Answer answer = postJson(fields);

        // Then it is registered without audit, with the times the caller meant
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body()).containsEntry("needsAudit", false)
                .containsEntry("startTime", start.toInstant().toString());
        SimulatorState.Visitor onPlatform = onlyVisitorOnPlatform();
        assertThat(onPlatform.needsAudit()).isFalse();
        assertThat(onPlatform.auditStatus()).isEqualTo("APPROVED");
        assertThat(onPlatform.startTime()).isEqualTo(start.toInstant().toEpochMilli());
        assertThat(simulator.state().photo(onPlatform.photoId())).isEqualTo(photo);
    }

    @Test
    void multipartUploadWithAPhotoFileIsAccepted() {
        // Given a form with the visitor's fields and the photo as a file part
        byte[] photo = image("jpg", 3);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", "Linus Visitor");
        form.put("startTime", String.valueOf(Instant.now().plusSeconds(600).toEpochMilli()));
        form.put("endTime", Instant.now().plus(Duration.ofHours(2)).toString());
        form.put("needsAudit", "false");

        // When it is posted as multipart/form-data
        Answer answer = postMultipart(form, "face.jpg", photo);

        // Then the visitor is registered with that photo
        assertThat(answer.status()).isEqualTo(201);
        SimulatorState.Visitor onPlatform = onlyVisitorOnPlatform();
        assertThat(onPlatform.name()).isEqualTo("Linus Visitor");
        assertThat(onPlatform.needsAudit()).isFalse();
        assertThat(simulator.state().photo(onPlatform.photoId())).isEqualTo(photo);
    }

    @Test
    void theTemporaryFilesOfEveryFilePartAreRemoved() throws Exception {
        // Given the folder the HTTP binding copies file parts to, and a form with the photo and a second file part
        Path uploads = ((File) servletContext.getAttribute(ServletContext.TEMPDIR)).toPath();
        long before = filesIn(uploads).size();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", "Two Parts");
        form.put("startTime", String.valueOf(Instant.now().plusSeconds(600).toEpochMilli()));
        form.put("endTime", Instant.now().plus(Duration.ofHours(2)).toString());
        Map<String, Map.Entry<String, byte[]>> parts = new LinkedHashMap<>();
        parts.put("photo", Map.entry("face.jpg", image("jpg", 5)));
        parts.put("attachment", Map.entry("notes.txt", "not a photo".getBytes(StandardCharsets.UTF_8)));

        // When it is registered, and when a second form with two files fails validation
        assertThat(postMultipart(form, parts).status()).isEqualTo(201);
        form.remove("name");
        assertThat(postMultipart(form, parts).status()).isEqualTo(400);

        // Then no temporary copy of any part is left behind (the container's own part files go once the request ends)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(filesIn(uploads)).hasSize((int) before));
    }

    private static List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).toList();
        }
    }

    static Stream<Arguments> invalidRegistrations() {
        long inOneHour = Instant.now().plus(Duration.ofHours(1)).toEpochMilli();
        long inTwoHours = Instant.now().plus(Duration.ofHours(2)).toEpochMilli();
        return Stream.of(
                invalid("name missing", f -> f.remove("name"), "name", "is required"),
                invalid("name blank", f -> f.put("name", "  "), "name", "is required"),
                invalid("name too long", f -> f.put("name", "x".repeat(101)), "name", "at most 100"),
                invalid("start missing", f -> f.remove("startTime"), "startTime", "is required"),
                invalid("start not a time", f -> f.put("startTime", "tomorrow"), "startTime", "ISO-8601 with a zone"),
                invalid("start without zone", f -> f.put("startTime", "2030-05-01T09:00:00"), "startTime", "ISO-8601 with a zone"),
                invalid("end missing", f -> f.remove("endTime"), "endTime", "is required"),
                invalid("end before start", f -> {
                    f.put("startTime", inTwoHours);
                    f.put("endTime", inOneHour);
                }, "endTime", "after startTime"),
                invalid("end in the past", f -> {
                    f.put("startTime", Instant.now().minus(Duration.ofHours(3)).toEpochMilli());
                    f.put("endTime", Instant.now().minus(Duration.ofHours(1)).toEpochMilli());
                }, "endTime", "in the future"),
                invalid("photo missing", f -> f.remove("photo"), "photo", "is required"),
                invalid("photo not base64", f -> f.put("photo", "not*base64!"), "photo", "base64"),
                invalid("photo is a GIF", f -> f.put("photo", base64("GIF89a-not-allowed".getBytes())), "photo", "JPEG or PNG"),
                invalid("photo too large", f -> {
                    byte[] huge = new byte[2 * 1024 * 1024 + 1];
                    System.arraycopy(image("png", 4), 0, huge, 0, 8);
                    f.put("photo", base64(huge));
                }, "photo", "at most 2097152 bytes"),
                invalid("needsAudit not a flag", f -> f.put("needsAudit", "maybe"), "needsAudit", "true or false"),
                invalid("hostEmployeeId too long", f -> f.put("hostEmployeeId", "h".repeat(101)), "hostEmployeeId", "at most 100"),
                invalid("reason too long", f -> f.put("reason", "r".repeat(501)), "reason", "at most 500"),
                invalid("NUL character in the name", f -> f.put("name", "Ada\u0000Lovelace"), "name", "NUL character"));
    }

    private static Arguments invalid(String name, Consumer<Map<String, Object>> change, String field, String reason) {
        return Arguments.of(name, change, field, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRegistrations")
    void invalidFieldIsRefusedWith400NamingTheFieldAndNothingIsSent(String name, Consumer<Map<String, Object>> change,
                                                                     String field, String reason) {
        // Given a valid visitor with one field made invalid
        Map<String, Object> fields = visitor("Invalid Visitor", image("png", 5));
        change.accept(fields);

        // When it is posted
        Answer answer = postJson(fields);

        // Then the gateway answers 400 with the reason for that field
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).containsEntry("type", "urn:sophonsight-gateway:problem:invalid-input")
                .containsEntry("status", 400).containsEntry("detail", "invalid visitor registration");
        @SuppressWarnings("unchecked")
        Map<String, String> reasons = (Map<String, String>) answer.body().get("fields");
        assertThat(reasons).containsKey(field);
        assertThat(reasons.get(field)).contains(reason);

        // And nothing was sent to the platform or stored
        assertThat(simulator.state().calls(UPLOAD)).isZero();
        assertThat(simulator.state().calls(VISITOR_ADD)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM visitor_registration", Integer.class)).isZero();
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() {
        // Given a request with no name, a start after its end and a text file as photo
        Map<String, Object> fields = visitor("x", image("png", 6));
        fields.remove("name");
        fields.put("startTime", Instant.now().plus(Duration.ofHours(5)).toEpochMilli());
        fields.put("photo", base64("hello".getBytes()));

        // When it is posted, Then all three fields are named
        Answer answer = postJson(fields);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(fields(answer)).containsOnlyKeys("name", "endTime", "photo");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fields(Answer answer) {
        return (Map<String, Object>) answer.body().get("fields");
    }

    @Test
    void bodyThatIsNotAJsonObjectIsRefusedWith400() {
        // When the body is not JSON, or a JSON array, Then 400 names the body
        Answer notJson = postJson("{\"name\": ");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(fields(notJson)).containsKey("body");
        Answer array = postJson("[1, 2]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(fields(array)).containsKey("body");
    }

    @Test
    void platformRefusalIsAnswered422WithThePlatformsMessage() {
        // Given a platform that refuses the next visitor: quota exceeded
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.BUSINESS, VISITOR_ADD, 0, 1, 0, 4001,
                "quota exceeded", 0, null, null));

        // When a valid visitor is posted
        Answer answer = postJson(visitor("Refused Visitor", image("png", 7)));

        // Then the gateway answers 422 with the platform's message, and keeps the refusal
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).containsEntry("status", "REJECTED").containsEntry("platformStatus", 4001)
                .containsEntry("platformMessage", "quota exceeded");
        assertThat((String) answer.body().get("statusReason")).contains("quota exceeded");
        assertThat(simulator.state().visitors()).isEmpty();
        // And it was tried once, not retried
        assertThat(simulator.state().calls(VISITOR_ADD)).isEqualTo(1);
        retryNow();
        assertThat(simulator.state().calls(VISITOR_ADD)).isEqualTo(1);
        assertThat(get((String) answer.body().get("id")).body()).containsEntry("status", "REJECTED");
    }

    @Test
    void unreachablePlatformGives202PendingThenTheRetryRegistersTheVisitor() {
        // Given a platform that answers HTTP 503 to every call
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, "/openapi/v1", 0, -1, 503, 0,
                null, 0, null, null));
        byte[] photo = image("png", 8);

        // When a valid visitor is posted
        Answer answer = postJson(visitor("Patient Visitor", photo));

        // Then the gateway answers 202: accepted, pending, its photo kept for the retry
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body()).containsEntry("status", "PENDING").containsEntry("attempts", 1);
        assertThat((String) answer.body().get("statusReason")).contains("unavailable");
        assertThat(answer.body().get("nextAttemptAt")).isNotNull();
        assertThat(answer.body().get("deadline")).isNotNull();
        String id = (String) answer.body().get("id");
        assertThat(photoStore.isKept((String) registrationRow(id).get("photo_file"))).isTrue();

        // When a retry runs while the platform is still down, Then it stays pending
        retryNow();
        assertThat(get(id).body()).containsEntry("status", "PENDING").containsEntry("attempts", 2);

        // When the platform is back and the retry runs
        simulator.faults().clear();
        retryNow();

        // Then the visitor is registered, with the kept photo
        Answer read = get(id);
        assertThat(read.body()).containsEntry("status", "REGISTERED").containsEntry("attempts", 3)
                .containsEntry("nextAttemptAt", null);
        SimulatorState.Visitor onPlatform = onlyVisitorOnPlatform();
        assertThat(onPlatform.name()).isEqualTo("Patient Visitor");
        assertThat(simulator.state().photo(onPlatform.photoId())).isEqualTo(photo);
        assertThat(photoStore.isKept((String) registrationRow(id).get("photo_file"))).isFalse();
    }

    @Test
    void lostVisitorAddAnswerMakesTheRegistrationUncertainAndNeverAddsASecondVisitor() {
        // Given a platform that adds the next visitor and then drops the connection without an answer
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.APPLY_THEN_DROP, VISITOR_ADD, 0, 1, 0, 0,
                null, 0, null, null));
        double uncertainBefore = uncertainCount();

        // When a visitor is posted
        Answer answer = postJson(visitor("Lost Answer", image("png", 21)));

        // Then the platform holds the visitor once: visitor/add was not sent a second time
        assertThat(simulator.state().visitors()).hasSize(1);

        // And the gateway answers 202 UNCERTAIN with what to do, after exactly one visitor/add
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body()).containsEntry("status", "UNCERTAIN").containsEntry("nextAttemptAt", null);
        assertThat((String) answer.body().get("statusReason")).contains("answer was lost").contains("Check the platform");
        String id = (String) answer.body().get("id");
        assertThat(simulator.state().calls(VISITOR_ADD)).isEqualTo(1);
        assertThat(onlyVisitorOnPlatform().name()).isEqualTo("Lost Answer");

        // And operators see it: a dead letter of visitor-register naming the registration, and the metric
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter WHERE flow = 'visitor-register' AND payload_ref = ?",
                Integer.class, id)).isEqualTo(1);
        assertThat(uncertainCount() - uncertainBefore).isEqualTo(1.0);

        // When the retry runs, Then it leaves the uncertain registration alone: still one visitor on the platform
        retryNow();
        assertThat(simulator.state().calls(VISITOR_ADD)).isEqualTo(1);
        assertThat(get(id).body()).containsEntry("status", "UNCERTAIN");

        // And nobody without the API key can resolve it
        assertThat(resolveWithoutKey(id, false).status()).isEqualTo(401);
        assertThat(get(id).body()).containsEntry("status", "UNCERTAIN");

        // When an operator found the visitor on the platform and says so
        Answer resolved = resolve(id, true);

        // Then the registration is REGISTERED, nothing was sent, and a second resolution is refused with 409
        assertThat(resolved.status()).isEqualTo(201);
        assertThat(resolved.body()).containsEntry("status", "REGISTERED");
        assertThat(resolved.body().get("registeredAt")).isNotNull();
        assertThat(simulator.state().calls(VISITOR_ADD)).isEqualTo(1);
        assertThat(simulator.state().visitors()).hasSize(1);
        Answer again = resolve(id, false);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).containsEntry("title", "Not uncertain").containsEntry("status", 409);
        assertThat((String) again.body().get("detail")).contains("REGISTERED");
        assertThat(simulator.state().visitors()).hasSize(1);
    }

    @Test
    void visitorAddAnsweredAfterTheResponseTimeoutIsUncertainToo() {
        // Given a platform that adds the next visitor but answers only after the gateway stopped waiting
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.APPLY_THEN_LATE, VISITOR_ADD, 0, 1, 0, 0,
                null, PLATFORM_RESPONSE_TIMEOUT_MS + 1_000, null, null));

        // When a visitor is posted
        Answer answer = postJson(visitor("Late Answer", image("png", 22)));
        assertThat(simulator.state().visitors()).hasSize(1);

        // Then it is UNCERTAIN, and the platform holds exactly one visitor (no second visitor/add)
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body()).containsEntry("status", "UNCERTAIN");
        assertThat(simulator.state().calls(VISITOR_ADD)).isEqualTo(1);
        assertThat(onlyVisitorOnPlatform().name()).isEqualTo("Late Answer");
        retryNow();
        assertThat(simulator.state().visitors()).hasSize(1);
    }

    @Test
    void uncertainVisitorTheOperatorDidNotFindIsSentAgainOnce() {
        // Given a connection dropped before the platform took visitor/add: to the gateway, an answer lost like any other
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.DROP, VISITOR_ADD, 0, 1, 0, 0,
                null, 0, null, null));
        Answer answer = postJson(visitor("Not There", image("png", 23)));
        assertThat(answer.body()).containsEntry("status", "UNCERTAIN");
        assertThat(simulator.state().visitors()).isEmpty();
        String id = (String) answer.body().get("id");

        // When an operator checked the platform, did not find the visitor, and asks for it to be sent again
        Answer resolved = resolve(id, false);

        // Then it is sent once more with the photo uploaded the first time, and registered
        assertThat(resolved.status()).isEqualTo(201);
        assertThat(resolved.body()).containsEntry("status", "REGISTERED");
        assertThat(onlyVisitorOnPlatform().photoId()).isEqualTo(answer.body().get("photoId"));
        assertThat(simulator.state().calls(UPLOAD)).isEqualTo(1);
        assertThat(simulator.state().calls(VISITOR_ADD)).isEqualTo(2);

        // And a verdict other than true/false is refused with 400, an unknown id with 404
        assertThat(resolve(id, "maybe").status()).isEqualTo(400);
        assertThat(resolve("no-such-registration", true).status()).isEqualTo(404);
    }

    @Test
    void photoUploadedBeforeThePlatformFailedIsNotUploadedAgain() {
        // Given a platform whose visitor/add is down while pic/upload works
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, VISITOR_ADD, 0, -1, 503, 0,
                null, 0, null, null));

        // When a visitor is posted, Then it is pending with the platform's photoId already stored
        Answer answer = postJson(visitor("Once Uploaded", image("png", 9)));
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body().get("photoId")).isNotNull();
        assertThat(simulator.state().calls(UPLOAD)).isEqualTo(1);

        // When the platform recovers and the retry runs
        simulator.faults().clear();
        retryNow();

        // Then the visitor is registered with that photo, uploaded only once
        assertThat(get((String) answer.body().get("id")).body()).containsEntry("status", "REGISTERED");
        assertThat(onlyVisitorOnPlatform().photoId()).isEqualTo(answer.body().get("photoId"));
        assertThat(simulator.state().calls(UPLOAD)).isEqualTo(1);
    }

    @Test
    void unexpectedPlatformAnswerKeepsTheRegistrationPendingForTheRetry() {
        // Given a platform that answers visitor/add once with HTTP 404 (e.g. a proxy in front of it misrouted)
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, VISITOR_ADD, 0, 1, 404, 0,
                null, 0, null, null));

        // When a visitor is posted, Then it is accepted as pending rather than lost
        Answer answer = postJson(visitor("Misrouted Visitor", image("png", 12)));
        assertThat(answer.status()).isEqualTo(202);
        assertThat((String) answer.body().get("statusReason")).contains("HTTP 404");

        // When the retry runs, Then the visitor is registered
        retryNow();
        assertThat(get((String) answer.body().get("id")).body()).containsEntry("status", "REGISTERED");
        assertThat(onlyVisitorOnPlatform().name()).isEqualTo("Misrouted Visitor");
    }

    @Test
    void pendingRegistrationPastItsDeadlineFailsWithReasonAndADeadLetter() {
        // Given a pending registration (platform down) whose deadline has passed
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, "/openapi/v1", 0, -1, 503, 0,
                null, 0, null, null));
        Answer answer = postJson(visitor("Late Visitor", image("png", 10)));
        assertThat(answer.status()).isEqualTo(202);
        String id = (String) answer.body().get("id");
        jdbc.update("UPDATE visitor_registration SET deadline_at = ? WHERE id = ?",
                OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1), id);

        // When the retry runs and the platform is still unreachable
        retryNow();

        // Then the registration is FAILED with the reason, no longer retried, and operators see a dead letter
        Answer read = get(id);
        assertThat(read.body()).containsEntry("status", "FAILED");
        assertThat((String) read.body().get("statusReason")).contains("gave up").contains("unreachable");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter WHERE flow = 'visitor-register' AND payload_ref = ?",
                Integer.class, id)).isEqualTo(1);
        assertThat(photoStore.isKept((String) registrationRow(id).get("photo_file"))).isFalse();
        long calls = simulator.state().calls(UPLOAD);
        retryNow();
        assertThat(simulator.state().calls(UPLOAD)).isEqualTo(calls);
    }

    @Test
    void pendingRegistrationWhoseKeptPhotoIsLostFailsWithReason() throws Exception {
        // Given a pending registration (platform down) whose kept photo file has disappeared
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, "/openapi/v1", 0, -1, 503, 0,
                null, 0, null, null));
        Answer answer = postJson(visitor("Lost Photo", image("png", 11)));
        String id = (String) answer.body().get("id");
        String photoFile = (String) registrationRow(id).get("photo_file");
        java.nio.file.Files.delete(java.nio.file.Path.of(
                camelContext.resolvePropertyPlaceholders("{{visitors.photo.folder}}"), photoFile));

        // When the platform is back and the retry runs
        simulator.faults().clear();
        retryNow();

        // Then the registration is FAILED with a reason an operator understands, and dead-lettered
        Answer read = get(id);
        assertThat(read.body()).containsEntry("status", "FAILED");
        assertThat((String) read.body().get("statusReason")).contains("photo kept for registration").contains("cannot be read");
        assertThat(simulator.state().calls(VISITOR_ADD)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter WHERE flow = 'visitor-register' AND payload_ref = ?",
                Integer.class, id)).isEqualTo(1);
    }

    @Test
    void kioskApiKeyCannotResolveAnUncertainRegistration() {
        // Given a registration whose visitor/add answer was lost (UNCERTAIN)
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.APPLY_THEN_DROP, VISITOR_ADD, 0, 1, 0, 0,
                null, 0, null, null));
        String id = (String) postJson(visitor("Kiosk Verdict", image("png", 23))).body().get("id");
        assertThat(get(id).body()).containsEntry("status", "UNCERTAIN");

        // When a caller holding only the API key (a reception kiosk) declares it registered, or asks to send it again
        Answer registered = resolveWithApiKey(id, true);
        Answer resend = resolveWithApiKey(id, false);

        // Then both are refused with 403 naming the admin key (gateway.api.admin-paths), before the route runs
        assertThat(registered.status()).isEqualTo(403);
        assertThat(resend.status()).isEqualTo(403);
        assertThat(registered.body()).containsEntry("type", "urn:sophonsight-gateway:problem:forbidden");
        assertThat((String) registered.body().get("detail")).contains("needs the admin key");

        // And nothing changed: still UNCERTAIN, visitor/add sent once
        assertThat(get(id).body()).containsEntry("status", "UNCERTAIN");
        assertThat(simulator.state().calls(VISITOR_ADD)).isEqualTo(1);
    }

    @Test
    void unknownRegistrationIdIs404() {
        Answer answer = get("00000000-0000-0000-0000-000000000000");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).containsEntry("type", "urn:sophonsight-gateway:problem:not-found").containsEntry("status", 404);
        assertThat((String) answer.body().get("detail")).contains("no visitor registration");
    }
}
