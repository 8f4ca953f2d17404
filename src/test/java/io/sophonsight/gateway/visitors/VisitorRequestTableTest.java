package io.sophonsight.gateway.visitors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import io.sophonsight.gateway.simulator.SimulatorFaults;
import io.sophonsight.gateway.simulator.SimulatorState;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table-driven entry: a company system inserts rows into {@code visitor_request}; the intake route
 * (polled on demand here, on its schedule in production) registers each and marks it DONE, PENDING or FAILED.
 */
class VisitorRequestTableTest extends VisitorTestSupport {

    private static final String INTAKE = "visitor-request-intake";

    @Value("${visitors.intake.photo-folder}")
    private String incomingFolder;

    /** Inserts a request row as a company system would; returns its id. */
    private long insertRequest(String name, OffsetDateTime start, OffsetDateTime end, Boolean needsAudit,
                               String photoBase64, String photoPath) {
        jdbc.update("INSERT INTO visitor_request (name, start_time, end_time, needs_audit, host_employee_id, visit_reason,"
                        + " photo_base64, photo_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                name, start, end, needsAudit, "E-7", "Audit meeting", photoBase64, photoPath);
        return jdbc.queryForObject("SELECT MAX(id) FROM visitor_request", Long.class);
    }

    private long insertValidRequest(String name, byte[] photo) {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1);
        return insertRequest(name, start, start.plusHours(2), null, base64(photo), null);
    }

    private Map<String, Object> requestRow(long id) {
        return jdbc.queryForMap("SELECT * FROM visitor_request WHERE id = ?", id);
    }

    /**
     * Polls the request table now, in this thread, as the schedule would (its first poll is a day away in
     * tests); returns once every row of the poll is registered and marked.
     */
    private void pollIntakeNow() {
        ((ScheduledPollConsumer) camelContext.getRoute(INTAKE).getConsumer()).run();
    }

    @Test
    void rowIsRegisteredAndMarkedDone() {
        // Given a request row with a base64 JPEG photo
        byte[] photo = image("jpg", 21);
        long id = insertValidRequest("Table Visitor", photo);

        // When the intake polls the table
        pollIntakeNow();

        // Then the row is DONE and points at its registration
        Map<String, Object> row = requestRow(id);
        assertThat(row.get("status")).isEqualTo("DONE");
        assertThat(row.get("status_reason")).isNull();
        assertThat(row.get("processed_at")).isNotNull();
        String registrationId = (String) row.get("registration_id");
        assertThat(get(registrationId).body()).containsEntry("status", "REGISTERED").containsEntry("source", "TABLE")
                .containsEntry("sourceRef", String.valueOf(id)).containsEntry("hostEmployeeId", "E-7")
                .containsEntry("reason", "Audit meeting").containsEntry("needsAudit", true);

        // And the platform holds the visitor with the photo
        SimulatorState.Visitor onPlatform = onlyVisitorOnPlatform();
        assertThat(onPlatform.name()).isEqualTo("Table Visitor");
        assertThat(onPlatform.auditStatus()).isEqualTo("PENDING_AUDIT");
        assertThat(simulator.state().photo(onPlatform.photoId())).isEqualTo(photo);
    }

    @Test
    void badRowIsMarkedFailedWithItsReasonWhileTheNextRowSucceeds() {
        // Given a row without a name and with a text file as photo, then a valid row
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1);
        long bad = insertRequest(null, start, start.plusHours(1), false, base64("not an image".getBytes()), null);
        long good = insertValidRequest("Good Visitor", image("png", 22));

        // When the intake polls the table
        pollIntakeNow();

        // Then the bad row is FAILED with every reason, and nothing of it reached the platform
        Map<String, Object> badRow = requestRow(bad);
        assertThat(badRow.get("status")).isEqualTo("FAILED");
        assertThat((String) badRow.get("status_reason")).contains("name is required").contains("photo must be a JPEG or PNG");
        // And the next row is registered
        assertThat(requestRow(good).get("status")).isEqualTo("DONE");
        assertThat(onlyVisitorOnPlatform().name()).isEqualTo("Good Visitor");
    }

    @Test
    void photoIsReadFromAFileInTheIncomingFolderAndNeverFromOutsideIt() throws Exception {
        // Given a photo file dropped into the incoming folder, a row naming it, and a row naming a file outside
        byte[] photo = image("png", 23);
        Path folder = Path.of(incomingFolder);
        Files.createDirectories(folder);
        Files.write(folder.resolve("guest-23.png"), photo);
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1);
        long fromFile = insertRequest("File Visitor", start, start.plusHours(1), false, null, "guest-23.png");
        long outside = insertRequest("Sneaky Visitor", start, start.plusHours(1), false, null, "../../../../etc/hostname");

        // When the intake polls the table
        pollIntakeNow();

        // Then the file's photo is on the platform, and the path outside the folder is refused
        assertThat(requestRow(fromFile).get("status")).isEqualTo("DONE");
        assertThat(simulator.state().photo(onlyVisitorOnPlatform().photoId())).isEqualTo(photo);
        assertThat(requestRow(outside).get("status")).isEqualTo("FAILED");
        assertThat((String) requestRow(outside).get("status_reason")).contains("inside the incoming photo folder");
    }

    @Test
    void platformRefusalMarksTheRowFailedWithThePlatformsMessage() {
        // Given a platform that refuses the next visitor
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.BUSINESS, VISITOR_ADD, 0, 1, 0, 4001,
                "quota exceeded", 0, null, null));
        long id = insertValidRequest("Refused Row", image("png", 24));

        // When the intake polls the table
        pollIntakeNow();

        // Then the row is FAILED with the platform's message and the id of the refused registration
        Map<String, Object> row = requestRow(id);
        assertThat(row.get("status")).isEqualTo("FAILED");
        assertThat((String) row.get("status_reason")).contains("REJECTED").contains("quota exceeded");
        assertThat(simulator.state().visitors()).isEmpty();
    }

    @Test
    void unreachablePlatformLeavesTheRowPendingUntilTheRetryRegistersIt() {
        // Given a platform that is down
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, "/openapi/v1", 0, -1, 503, 0,
                null, 0, null, null));
        long id = insertValidRequest("Waiting Row", image("png", 25));

        // When the intake polls the table, Then the row is PENDING with its registration
        pollIntakeNow();
        assertThat(requestRow(id).get("status")).isEqualTo("PENDING");
        assertThat(requestRow(id).get("registration_id")).isNotNull();

        // When the platform is back and the retry runs
        simulator.faults().clear();
        retryNow();

        // Then the row is DONE and the visitor is on the platform
        assertThat(requestRow(id).get("status")).isEqualTo("DONE");
        assertThat(onlyVisitorOnPlatform().name()).isEqualTo("Waiting Row");
    }

    @Test
    void lostVisitorAddAnswerMarksTheRowUncertainUntilAnOperatorResolvesIt() {
        // Given a platform that adds the next visitor and then drops the connection without an answer
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.APPLY_THEN_LATE, VISITOR_ADD, 0, 1, 0, 0,
                null, PLATFORM_RESPONSE_TIMEOUT_MS + 1_000, null, null));
        long id = insertValidRequest("Uncertain Row", image("png", 27));

        // When the intake polls the table
        pollIntakeNow();

        // Then the row is UNCERTAIN with the reason, and the platform holds the visitor once
        Map<String, Object> row = requestRow(id);
        assertThat(row.get("status")).isEqualTo("UNCERTAIN");
        assertThat((String) row.get("status_reason")).contains("answer was lost");
        assertThat(onlyVisitorOnPlatform().name()).isEqualTo("Uncertain Row");

        // And neither the retry nor another poll sends it again
        retryNow();
        pollIntakeNow();
        assertThat(simulator.state().calls(VISITOR_ADD)).isEqualTo(1);

        // When an operator finds the visitor on the platform and resolves the registration, Then the row is DONE
        Answer resolved = resolve((String) row.get("registration_id"), true);
        assertThat(resolved.body()).containsEntry("status", "REGISTERED");
        assertThat(requestRow(id).get("status")).isEqualTo("DONE");
        assertThat(simulator.state().visitors()).hasSize(1);
    }

    @Test
    void rowSeenAgainAfterItsMarkingWasLostIsNotRegisteredTwice() {
        // Given a row that was registered, but whose DONE mark was lost (e.g. the database failed right then)
        long id = insertValidRequest("Once Only", image("png", 26));
        pollIntakeNow();
        String registrationId = (String) requestRow(id).get("registration_id");
        jdbc.update("UPDATE visitor_request SET status = 'NEW', registration_id = NULL WHERE id = ?", id);

        // When the intake sees the row again
        pollIntakeNow();

        // Then it is marked from its existing registration, and the platform holds the visitor once
        assertThat(requestRow(id).get("status")).isEqualTo("DONE");
        assertThat(requestRow(id).get("registration_id")).isEqualTo(registrationId);
        assertThat(simulator.state().visitors()).hasSize(1);
        assertThat(simulator.state().calls(VISITOR_ADD)).isEqualTo(1);
    }

    @Test
    void intakeAndRetryRunOnTheirConfiguredSchedules() {
        // Given the gateway's configuration (tests push the first runs out of reach and trigger them on demand)
        // Then the intake is a started sql consumer polling every visitors.intake.poll-delay-ms
        String intake = camelContext.getRoute(INTAKE).getEndpoint().getEndpointUri();
        assertThat(intake).startsWith("sql://SELECT").contains("delay=86400000").contains("onConsume=")
                .contains("onConsumeFailed=");
        assertThat(camelContext.getRouteController().getRouteStatus(INTAKE).isStarted()).isTrue();
        // And the retry is a started, non-overlapping Quartz trigger on visitors.retry.cron
        String retry = camelContext.getRoute("visitor-retry-schedule").getEndpoint().getEndpointUri();
        assertThat(retry).startsWith("quartz://visitors/retry").contains("2099").contains("stateful=true");
        assertThat(camelContext.getRouteController().getRouteStatus("visitor-retry-schedule").isStarted()).isTrue();
    }
}
