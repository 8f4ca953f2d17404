package io.sophonsight.gateway.devices;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.sophonsight.gateway.push.PushTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device-status receiver: current state per box and camera, history on change only, alerts
 * when a box or camera goes offline or unknown and when it comes back; and silence detection.
 */
class DeviceStatusPushTest extends PushTestSupport {

    private static String report(String boxId, int boxStatus, int camera1, Object camera2) {
        return """
                {"deviceId": "%s ", "deviceStatus": "%d", "deviceName": "Box %s", "deviceSN": "SN-1",
                 "cameraNum": "2", "timeStamp": %d,
                 "cameraInfo": [ {"cameraId": "%s-C1", "ip": "10.1.2.3", "name": "Gate 1", "state": %d},
                                 {"CAMERAID": "%s-C2", "Ip": "10.1.2.4", "Name": "Door 2", "State": "%s"} ]}
                """.formatted(boxId, boxStatus, boxId, System.currentTimeMillis(), boxId, camera1, boxId, camera2);
    }

    private List<Map<String, Object>> history(String boxId) {
        return jdbc.queryForList("SELECT * FROM device_status_history WHERE box_id = ? ORDER BY id", boxId);
    }

    private Map<String, Object> state(String boxId, String cameraId) {
        return jdbc.queryForMap("SELECT * FROM device_state WHERE box_id = ? AND camera_id = ?", boxId, cameraId);
    }

    /** A conformance sample as reported by a box of this test's own (the samples' BOX-0001 is pushed by other tests too). */
    private static String sampleOf(String fileName, String boxId) {
        return sample(fileName).replace("\"BOX-0001", "\"" + boxId);
    }

    @Test
    void bothConformanceSamplesAreAcknowledgedAndRecorded() {
        // Given the online sample (trailing space in deviceId, Ip/Name capitalised, a state as a string)
        String box = uniqueId("BOX");
        HttpResponse<String> online = push(DEVICE_PATH, sampleOf("device-status-online.json", box));
        assertThat(online.statusCode()).isEqualTo(200);
        assertThat(online.body()).isEqualTo("{\"status\":0,\"message\":\"SUCCESS\"}");
        // Then the box (id trimmed) and both cameras (keys in any case) have a state
        assertThat(state(box, "")).containsEntry("status", "online").containsEntry("name", "Lobby box");
        assertThat(state(box, "CAM-DOOR-3")).containsEntry("status", "offline").containsEntry("ip", "10.1.2.4")
                .containsEntry("name", "Door 3");

        // When the offline sample (numbers as strings, no cameras) follows
        assertThat(push(DEVICE_PATH, sampleOf("device-status-offline.json", box)).statusCode()).isEqualTo(200);
        // Then the box is offline and an alert names it
        assertThat(state(box, "")).containsEntry("status", "offline");
        awaitMessage(ALERTS, m -> m.contains("\"alertType\":\"device-offline\"") && m.contains("\"boxId\":\"" + box + "\"")
                && m.contains("\"scope\":\"box\""));
    }

    @Test
    void historyIsAppendedOnChangeOnlyAndOfflineAndRecoveryRaiseAlerts() {
        String box = uniqueId("BOX");
        // Given a box first reported online with one camera online and one offline
        assertThat(push(DEVICE_PATH, report(box, 0, 0, 1)).statusCode()).isEqualTo(200);
        assertThat(history(box)).hasSize(3);
        awaitMessage(ALERTS, m -> m.contains("\"cameraId\":\"" + box + "-C2\"") && m.contains("device-offline"));

        // When the same status is reported again
        assertThat(push(DEVICE_PATH, report(box, 0, 0, 1)).statusCode()).isEqualTo(200);
        // Then no history row is added, but the last report time moves
        assertThat(history(box)).hasSize(3);

        // When the box goes unknown and then comes back online with both cameras
        assertThat(push(DEVICE_PATH, report(box, -1, 0, 1)).statusCode()).isEqualTo(200);
        assertThat(push(DEVICE_PATH, report(box, 0, 0, 0)).statusCode()).isEqualTo(200);

        // Then the history holds each change once, in order
        assertThat(history(box)).extracting(r -> r.get("camera_id") + ":" + r.get("from_status") + "->" + r.get("to_status"))
                .containsExactly(":null->online", box + "-C1:null->online", box + "-C2:null->offline",
                        ":online->unknown", ":unknown->online", box + "-C2:offline->online");
        assertThat(state(box, "")).containsEntry("status", "online");
        // And alerts said unknown, then recovered, for the box and the camera
        awaitMessage(ALERTS, m -> m.contains("\"boxId\":\"" + box + "\"") && m.contains("device-unknown"));
        awaitMessage(ALERTS, m -> m.contains("\"boxId\":\"" + box + "\"") && m.contains("device-recovered")
                && m.contains("\"scope\":\"box\""));
        awaitMessage(ALERTS, m -> m.contains("\"cameraId\":\"" + box + "-C2\"") && m.contains("device-recovered"));
    }

    @Test
    void aFailureWhileRecordingRollsBackEverythingAndAnswers500() {
        // Given a database that fails half-way through a report: the history row of its second camera is refused
        // (a constraint added for this test; an over-long value no longer reaches the database: it is a 400)
        String box = uniqueId("BOX");
        String report = report(box, 0, 0, 0).replace(box + "-C2", box + "-FAIL");
        jdbc.execute("ALTER TABLE device_status_history ADD CONSTRAINT test_refuses_fail CHECK (camera_id NOT LIKE '%-FAIL')");

        // When it is pushed
        HttpResponse<String> reply;
        try {
            reply = push(DEVICE_PATH, report);
        } finally {
            jdbc.execute("ALTER TABLE device_status_history DROP CONSTRAINT test_refuses_fail");
        }

        // Then the platform is told to send it again, and nothing of it was kept
        assertThat(reply.statusCode()).isEqualTo(500);
        assertThat(reply.body()).contains("send it again");
        assertThat(count("SELECT COUNT(*) FROM device_state WHERE box_id = ?", box)).isZero();
        assertThat(history(box)).isEmpty();
    }

    @Test
    void aPushTakenByAnotherReplicaKeepsTheSilenceCheckQuiet() {
        // Given this replica's last push a day before the check, and another replica that recorded one a minute before it
        long checkAt = System.currentTimeMillis() + 86_400_000L;
        jdbc.update("UPDATE push_heartbeat SET last_push_at = ? WHERE kind = 'device-status'", new Timestamp(checkAt - 60_000));
        try {
            // When the leader checks for silence, Then it sees the other replica's push: no alert
            assertThat(checkSilence(checkAt)).isNull();

            // When that push too is older than the threshold, Then silence is raised
            assertThat(checkSilence(checkAt + 86_400_000L)).contains("\"alertType\":\"push-silence\"");
        } finally {
            // a push after the silence (push-resumed) ends the silent state, then the shared table holds no
            // future time for the other tests
            jdbc.update("UPDATE push_heartbeat SET last_push_at = ? WHERE kind = 'device-status'", new Timestamp(checkAt));
            checkSilence(null);
            jdbc.update("UPDATE push_heartbeat SET last_push_at = CURRENT_TIMESTAMP");
        }
    }

    @Test
    void silenceOfThePushesRaisesAnAlertAndTheirReturnAnother() {
        // Given pushes flowing (a check now ends any silence an earlier test left behind)
        String box = uniqueId("BOX");
        assertThat(push(DEVICE_PATH, sampleOf("device-status-online.json", box)).statusCode()).isEqualTo(200);
        checkSilence(null);

        // When no push arrives for longer than the threshold (the check runs one day later)
        long silentCheckAt = System.currentTimeMillis() + 86_400_000L;
        producer.sendBodyAndHeader("direct:push-silence-check", null, "PushSilenceCheckAt", silentCheckAt);

        // Then a push-silence alert is raised: the one of this test's check (its time), not another test's
        awaitMessage(ALERTS, m -> m.contains("\"alertType\":\"push-silence\"") && m.contains(checkedAt(silentCheckAt)));

        // When pushes come back
        assertThat(push(DEVICE_PATH, sampleOf("device-status-online.json", box)).statusCode()).isEqualTo(200);
        long resumedCheckAt = silentCheckAt + 1_000;
        producer.sendBodyAndHeader("direct:push-silence-check", null, "PushSilenceCheckAt", resumedCheckAt);

        // Then a push-resumed alert follows
        awaitMessage(ALERTS, m -> m.contains("\"alertType\":\"push-resumed\"") && m.contains(checkedAt(resumedCheckAt)));
    }

    /** Runs the silence check at {@code checkAt} (null: now): the alert it raised (JSON), or null. */
    private String checkSilence(Long checkAt) {
        return producer.requestBodyAndHeader("direct:push-silence-check", null, "PushSilenceCheckAt", checkAt, String.class);
    }

    /** How a silence alert names the time of the check that raised it. */
    private static String checkedAt(long epochMillis) {
        return "\"checkedAt\":\"" + Instant.ofEpochMilli(epochMillis) + "\"";
    }
}
