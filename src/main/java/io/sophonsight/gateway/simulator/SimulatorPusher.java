package io.sophonsight.gateway.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the platform's event reporting (docs/sophonsight-openapi.md §4): builds access-record pushes in either form
 * and device-status reports, records each pass as an access record the query API can return,
 * and POSTs them to the configured user-system URLs.
 */
public class SimulatorPusher {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorPusher.class);
    private static final byte[] TINY_JPEG = Base64.getDecoder().decode(
            "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0"
                    + "Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8A"
                    + "KmX/2Q==");

    /**
     * Where pushes go: the user system's URLs for access records and device status (may include
     * {@code ?key=}). Read at each push, so they may name the gateway's port once it is known.
     */
    public record Config(Supplier<String> accessUrl, Supplier<String> deviceStatusUrl) {

        /** Fixed URLs (the standalone simulator). */
        public Config(String accessUrl, String deviceStatusUrl) {
            this(() -> accessUrl, () -> deviceStatusUrl);
        }
    }

    /** The outcome of one push: where it went, what came back. */
    public record PushResult(String kind, String url, int httpStatus, String responseBody, String error) { }

    private final SimulatorState state;
    private final ObjectMapper mapper;
    private final Supplier<String> accessUrl;
    private final Supplier<String> deviceStatusUrl;
    private final SimulatorReadings readings;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public SimulatorPusher(SimulatorState state, ObjectMapper mapper, Supplier<String> accessUrl,
                           Supplier<String> deviceStatusUrl, SimulatorReadings readings) {
        this.state = state;
        this.readings = readings;
        this.mapper = mapper;
        this.accessUrl = accessUrl;
        this.deviceStatusUrl = deviceStatusUrl;
    }

    /**
     * Builds one pass of a person of {@code userType} (MEMBER, VIP, VISITOR, BLACKLIST, STRANGER)
     * in the given form ("P" platform, "B" AI box), keeps it as an access record, returns the payload.
     * Under {@link SimulatorReadings} the push names an employee by the platform's own id, and reports
     * the pass up to {@code pushCrossTimeLagMs} after the time its access record keeps.
     */
    public Map<String, Object> accessEvent(String form, String userType, boolean withImages, long crossTime) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<SimulatorState.Person> people = state.people();
        boolean stranger = "STRANGER".equals(userType);
        SimulatorState.Person person = stranger || people.isEmpty() ? null : people.get(random.nextInt(people.size()));
        String userId = stranger ? "" : person != null ? person.thirdId() : "E-" + (1000 + random.nextInt(9000));
        String userName = stranger ? "" : person != null ? person.name() : "Person " + userId;
        List<SimulatorState.Device> devices = state.devices();
        String deviceId = devices.isEmpty() ? "BOX-0001" : devices.get(random.nextInt(devices.size())).locationId();
        String cameraId = "CAM-" + deviceId + "-" + (1 + random.nextInt(2));
        double score = stranger ? 0.1 + random.nextDouble(0.3) : 0.75 + random.nextDouble(0.24);
        String faceId = UUID.randomUUID().toString().replace("-", "").substring(0, 12) + ".jpg";
        String image = Base64.getEncoder().encodeToString(TINY_JPEG);
        long recordId = state.nextId();
        long platformId = person == null ? recordId : person.id();
        remember(userType, userId, userName, person, deviceId, cameraId, score, faceId, crossTime, recordId, platformId);
        String pushedUserId = readings.pushPlatformUserId() && !stranger && !"VISITOR".equals(userType)
                ? String.valueOf(platformId) : userId;
        long lag = readings.pushCrossTimeLagMs();
        long reportedTime = lag > 0 ? crossTime + 1 + random.nextLong(lag) : crossTime;

        Map<String, Object> event = new LinkedHashMap<>();
        if ("B".equalsIgnoreCase(form)) {
            event.put("identity_id", pushedUserId);
            event.put("identity_name", userName);
            // the capture device that produced the event (the box's own event doc), as a uuid
            event.put("device_id", UUID.nameUUIDFromBytes(cameraId.getBytes()).toString());
            event.put("identity_info", stranger ? Map.of() : Map.of("user_id", pushedUserId, "name", userName, "type", 1));
            event.put("group_name", "default_group");
            event.put("timestamp", reportedTime);
            event.put("score", Math.round(score * 10000) / 10000.0);
            Map<String, Object> ext = new LinkedHashMap<>();
            ext.put("device_ip", "10.1.2." + (2 + random.nextInt(200)));
            ext.put("person_type", boxPersonType(userType));
            ext.put("device_type", String.valueOf(random.nextInt(2)));
            ext.put("grab_fiqa_info", Map.of());
            ext.put("box_fiqa_info", Map.of());
            if (withImages) {
                ext.put("spot_pic", image);
                ext.put("recognize_face", image);
                event.put("reg_pic", image);
            }
            event.put("ext_data", ext);
        } else {
            event.put("userId", pushedUserId);
            event.put("userName", userName);
            event.put("userType", userType);
            event.put("matchScore", Math.round(score * 10000) / 10000.0);
            event.put("photoId", faceId);
            event.put("crossTime", reportedTime);
            event.put("deviceId", deviceId);
            event.put("cameraId", cameraId);
            event.put("cameraIp", "10.1.2." + (2 + random.nextInt(200)));
            event.put("cameraType", random.nextInt(5));
            if (withImages) {
                event.put("userPhotoId", "reg-" + userId + ".jpg");
                event.put("userPhoto", image);
                event.put("crossSrcPhoto", image);
                event.put("crossFacePhoto", image);
                event.put("crossFaceId", cropId(faceId));
            }
        }
        return event;
    }

    /** Seeds {@code count} passes of {@code userType} spread evenly over [from, to) without pushing them. */
    public int generateRecords(String userType, int count, long from, long to) {
        long span = Math.max(1, to - from);
        for (int i = 0; i < count; i++) {
            accessEvent("P", userType, false, from + span * i / count);
        }
        return count;
    }

    /** A device-status report of one box with two cameras; {@code status} 0 online, 1 offline, -1 unknown. */
    public Map<String, Object> deviceStatus(String deviceId, int status) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("deviceId", deviceId);
        report.put("deviceStatus", status);
        report.put("deviceMac", "00:1a:2b:3c:4d:" + String.format("%02x", Math.abs(deviceId.hashCode()) % 256));
        report.put("deviceName", "Box " + deviceId);
        report.put("deviceSN", "SN-" + deviceId);
        report.put("cameraNum", 2);
        report.put("cameraInfo", List.of(
                Map.of("cameraId", "CAM-" + deviceId + "-1", "ip", "10.1.2.3", "name", "Gate 1", "state", status),
                Map.of("cameraId", "CAM-" + deviceId + "-2", "Ip", "10.1.2.4", "Name", "Door 2", "state", status)));
        report.put("timeStamp", System.currentTimeMillis());
        report.put("swVersion", "2.3.1");
        report.put("cpuUsage", 0.3);
        return report;
    }

    public List<PushResult> pushAccess(String form, String userType, int count, boolean withImages, String url) {
        List<PushResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(post("access", url == null ? accessUrl.get() : url,
                    accessEvent(form, userType, withImages, System.currentTimeMillis())));
        }
        return results;
    }

    public PushResult pushDeviceStatus(String deviceId, int status, String url) {
        return post("device-status", url == null ? deviceStatusUrl.get() : url, deviceStatus(deviceId, status));
    }

    /** One round of the scheduled demo: a few passes of mixed kinds and forms, and a status report per device. */
    void pushRound() {
        String[] types = {"MEMBER", "MEMBER", "MEMBER", "VIP", "VISITOR", "STRANGER", "BLACKLIST"};
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 3; i++) {
            pushAccess(random.nextBoolean() ? "P" : "B", types[random.nextInt(types.length)], 1, false, null);
        }
        List<SimulatorState.Device> devices = state.devices();
        if (devices.isEmpty()) {
            pushDeviceStatus("BOX-0001", 0, null);
        } else {
            devices.forEach(d -> pushDeviceStatus(d.locationId(), random.nextInt(10) == 0 ? 1 : 0, null));
        }
    }

    private PushResult post(String kind, String url, Map<String, Object> payload) {
        String safeUrl = url == null ? null : url.replaceAll("([?&]key=)[^&]*", "$1****");
        if (url == null || url.isBlank()) {
            return new PushResult(kind, null, 0, null, "no push URL configured");
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json;charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(payload)))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warn("Simulator push of {} to {} answered HTTP {}", kind, safeUrl, response.statusCode());
            }
            return new PushResult(kind, safeUrl, response.statusCode(), response.body(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PushResult(kind, safeUrl, 0, null, "interrupted");
        } catch (Exception e) {
            LOG.warn("Simulator push of {} to {} failed: {}", kind, safeUrl, e.toString());
            return new PushResult(kind, safeUrl, 0, null, e.toString());
        }
    }

    private void remember(String userType, String userId, String userName, SimulatorState.Person person,
                          String deviceId, String cameraId, double score, String faceId, long crossTime, long recordId,
                          long platformId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        String kind = switch (userType) {
            case "STRANGER" -> "stranger";
            case "VISITOR" -> "visitor";
            default -> "employee";
        };
        switch (kind) {
            case "stranger" -> {
                fields.put("fid", faceId);
                fields.put("nodeName", cameraId);
                fields.put("nodeType", 5);
                fields.put("crossTime", crossTime);
                fields.put("faceFid", cropId(faceId));
            }
            case "visitor" -> {
                fields.put("id", recordId);
                fields.put("visitorId", userId);
                fields.put("visitorName", userName);
                fields.put("nodeName", cameraId);
                fields.put("crossTime", crossTime);
                fields.put("fid", faceId);
                fields.put("nodeType", 2);
                fields.put("faceFid", cropId(faceId));
            }
            default -> {
                fields.put("id", recordId);
                fields.put("userId", platformId);
                fields.put("thirdUserId", userId);
                fields.put("name", userName);
                fields.put("jobNumber", person == null ? "" : person.jobNumber());
                fields.put("deptName", person == null ? "" : person.thirdDeptId());
                fields.put("nodeName", cameraId);
                fields.put("crossTime", crossTime);
                fields.put("fid", faceId);
                fields.put("score", Math.round(score * 10000) / 10000.0);
                fields.put("faceFid", cropId(faceId));
            }
        }
        String image = Base64.getEncoder().encodeToString(TINY_JPEG);
        if (!"stranger".equals(kind)) {
            fields.put("userPhoto", image); // returned only when the query asks for it (has*Photo flags)
        }
        fields.put("crossSrcPhoto", image);
        fields.put("crossFacePhoto", image);
        fields.put("_locationId", deviceId);
        fields.put("_userType", userType);
        state.addRecord(new SimulatorState.AccessRecord(kind, crossTime, fields));
    }

    /** The face crop's own photo id: another image than the captured face (query faceFid vs fid). */
    private static String cropId(String faceId) {
        return "crop-" + faceId;
    }

    private static int boxPersonType(String userType) {
        return switch (userType) {
            case "VISITOR" -> 2;
            case "BLACKLIST" -> 3;
            case "STRANGER" -> 4;
            case "VIP" -> 5;
            default -> 1;
        };
    }
}
