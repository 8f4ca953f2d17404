package io.sophonsight.gateway.devices;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sophonsight.gateway.push.PushJson;
import io.sophonsight.gateway.push.PushRejectedException;
import org.springframework.stereotype.Component;

import static io.sophonsight.gateway.push.PushJson.epochMillis;
import static io.sophonsight.gateway.push.PushJson.integer;
import static io.sophonsight.gateway.push.PushJson.number;
import static io.sophonsight.gateway.push.PushJson.text;

/**
 * Turns a device-status push (docs/sophonsight-openapi.md §4.2) into a canonical report: {@code boxId} (trimmed),
 * {@code status} online/offline/unknown, box details, and {@code cameras}, each with
 * {@code cameraId}, {@code status}, {@code ip}, {@code name}. Camera keys are read in any letter
 * case ({@code Ip}/{@code ip}), numbers sent as strings are accepted.
 */
@Component("deviceStatusNormalizer")
public class DeviceStatusNormalizer {

    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";
    public static final String UNKNOWN = "unknown";

    /** Column sizes of {@code device_state} (V22): longer values are refused (400), never a failed insert (500). */
    static final int MAX_ID = 100;
    static final int MAX_NAME = 200;
    static final int MAX_ADDRESS = 64;
    static final int MAX_VERSION = 50;

    private final PushJson json;

    public DeviceStatusNormalizer(PushJson json) {
        this.json = json;
    }

    public Map<String, Object> normalize(byte[] body) {
        return normalize(json.object(body));
    }

    /** {@link #normalize(byte[])} of a body read as it arrives (the receiver's {@code PushBody}). */
    public Map<String, Object> fromPush(java.io.InputStream body) {
        return normalize(json.object(body));
    }

    private Map<String, Object> normalize(ObjectNode push) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("boxId", PushJson.requiredText(push, "deviceId", MAX_ID));
        report.put("status", status(PushJson.requiredText(push, "deviceStatus"), "deviceStatus"));
        report.put("name", text(push, "deviceName", MAX_NAME));
        report.put("mac", text(push, "deviceMac", MAX_ADDRESS));
        report.put("sn", text(push, "deviceSN", MAX_ID));
        report.put("cameraNum", integer(push, "cameraNum"));
        Long reported = epochMillis(push, "timeStamp", false);
        report.put("reportedAt", reported == null ? System.currentTimeMillis() : reported);
        report.put("swVersion", text(push, "swVersion", MAX_VERSION));
        report.put("sdkVersion", text(push, "sdkVersion"));
        report.put("cpuUsage", number(push, "cpuUsage"));
        report.put("memoryUsage", number(push, "memoryUsage"));
        report.put("diskFreeSize", number(push, "diskFreeSize"));
        report.put("cameras", cameras(push.get("cameraInfo")));
        return report;
    }

    private static List<Map<String, Object>> cameras(JsonNode info) {
        List<Map<String, Object>> cameras = new ArrayList<>();
        if (info == null || info.isNull()) {
            return cameras;
        }
        if (!info.isArray()) {
            throw PushRejectedException.badRequest("field 'cameraInfo' must be an array");
        }
        for (JsonNode entry : info) {
            if (!entry.isObject()) {
                throw PushRejectedException.badRequest("every 'cameraInfo' entry must be an object");
            }
            ObjectNode camera = lowerCaseKeys((ObjectNode) entry);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("cameraId", PushJson.requiredText(camera, "cameraid", MAX_ID));
            String state = text(camera, "state");
            c.put("status", state == null ? UNKNOWN : status(state, "cameraInfo.state"));
            c.put("ip", text(camera, "ip", MAX_ADDRESS));
            c.put("name", text(camera, "name", MAX_NAME));
            cameras.add(c);
        }
        return cameras;
    }

    private static ObjectNode lowerCaseKeys(ObjectNode node) {
        ObjectNode copy = node.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            copy.set(field.getKey().trim().toLowerCase(Locale.ROOT), field.getValue());
        }
        return copy;
    }

    /** 0 online, 1 offline, -1 unknown (docs/sophonsight-openapi.md §4.2); any other value counts as unknown. */
    static String status(String code, String field) {
        return switch (code) {
            case "0" -> ONLINE;
            case "1" -> OFFLINE;
            case "-1" -> UNKNOWN;
            default -> {
                try {
                    Integer.parseInt(code);
                    yield UNKNOWN;
                } catch (NumberFormatException e) {
                    throw PushRejectedException.badRequest("field '" + field + "' must be 0, 1 or -1, got '" + code + "'");
                }
            }
        };
    }
}
