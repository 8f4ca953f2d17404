package io.sophonsight.gateway.devices;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Compares a device-status report with the stored state of its box and cameras and plans one row
 * per box/camera: whether it exists already (update or insert), whether its status changed (history
 * row), and the alert it raises: {@code device-offline} / {@code device-unknown} when it leaves
 * online, {@code device-recovered} when it comes back.
 */
@Component("deviceStatusPlanner")
public class DeviceStatusPlanner {

    public static final String BOX = "box";
    public static final String CAMERA = "camera";

    /**
     * @param report  the canonical report of {@link DeviceStatusNormalizer}
     * @param current stored rows of this box (columns camera_id, status; camera_id '' is the box)
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> plan(Map<String, Object> report, List<Map<String, Object>> current) {
        Map<String, String> stored = new HashMap<>();
        if (current != null) {
            current.forEach(row -> stored.put(String.valueOf(row.get("camera_id")), String.valueOf(row.get("status"))));
        }
        String boxId = (String) report.get("boxId");
        Timestamp reportedAt = Timestamp.from(Instant.ofEpochMilli(((Number) report.get("reportedAt")).longValue()));
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row(BOX, boxId, "", (String) report.get("status"), (String) report.get("name"), null,
                report, reportedAt, stored));
        for (Map<String, Object> camera : (List<Map<String, Object>>) report.get("cameras")) {
            rows.add(row(CAMERA, boxId, (String) camera.get("cameraId"), (String) camera.get("status"),
                    (String) camera.get("name"), (String) camera.get("ip"), report, reportedAt, stored));
        }
        return rows;
    }

    private static Map<String, Object> row(String scope, String boxId, String cameraId, String status, String name,
                                           String ip, Map<String, Object> report, Timestamp reportedAt,
                                           Map<String, String> stored) {
        boolean exists = stored.containsKey(cameraId);
        String from = stored.get(cameraId);
        boolean changed = !exists || !status.equals(from);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("scope", scope);
        row.put("boxId", boxId);
        row.put("cameraId", cameraId);
        row.put("status", status);
        row.put("fromStatus", from);
        row.put("name", name);
        row.put("ip", ip);
        row.put("mac", BOX.equals(scope) ? report.get("mac") : null);
        row.put("sn", BOX.equals(scope) ? report.get("sn") : null);
        row.put("swVersion", BOX.equals(scope) ? report.get("swVersion") : null);
        row.put("reportedAt", reportedAt);
        row.put("exists", exists);
        row.put("changed", changed);
        row.put("alert", changed ? alert(scope, boxId, cameraId, name, from, status, reportedAt) : null);
        return row;
    }

    private static Map<String, Object> alert(String scope, String boxId, String cameraId, String name,
                                             String from, String to, Timestamp at) {
        String type;
        if (!DeviceStatusNormalizer.ONLINE.equals(to)) {
            type = "device-" + to;
        } else if (from != null && !DeviceStatusNormalizer.ONLINE.equals(from)) {
            type = "device-recovered";
        } else {
            return null;
        }
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("alertType", type);
        alert.put("scope", scope);
        alert.put("boxId", boxId);
        alert.put("cameraId", cameraId.isEmpty() ? null : cameraId);
        alert.put("name", name);
        alert.put("fromStatus", from);
        alert.put("toStatus", to);
        alert.put("reportedAt", at.toInstant().toString());
        return alert;
    }
}
