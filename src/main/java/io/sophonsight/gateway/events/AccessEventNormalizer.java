package io.sophonsight.gateway.events;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sophonsight.gateway.push.PushJson;
import io.sophonsight.gateway.push.PushRejectedException;
import org.springframework.stereotype.Component;

import static io.sophonsight.gateway.push.PushJson.epochMillis;
import static io.sophonsight.gateway.push.PushJson.integer;
import static io.sophonsight.gateway.push.PushJson.number;
import static io.sophonsight.gateway.push.PushJson.text;

/**
 * Turns an access-record push of either form (docs/sophonsight-openapi.md §4.1: platform form P, AI-box form B), or a
 * query record (docs/sophonsight-openapi.md §3.5, {@link #fromQuery}), into the
 * gateway's one canonical access event, a Map with the keys of {@link AccessEvent}. Numbers sent as
 * strings are accepted, ids are trimmed, unknown person types are kept as {@code unknown} (with the
 * type as sent in {@code rawPersonType}) so the router sends them to the unclassified lane.
 */
@Component("accessEventNormalizer")
public class AccessEventNormalizer {

    /** Only turns query records (already parsed Maps) into trees for the lenient field readers. */
    private static final ObjectMapper QUERY_JSON = new ObjectMapper();

    private final PushJson json;

    public AccessEventNormalizer(PushJson json) {
        this.json = json;
    }

    public Map<String, Object> normalize(byte[] body) {
        return normalize(json.object(body));
    }

    /**
     * {@link #normalize(byte[])} of a body read as it arrives (the access receiver's {@code PushBody}): the only
     * copy of each base64 image the gateway keeps is the text the parser made of it.
     */
    public Map<String, Object> fromPush(InputStream body) {
        return normalize(json.object(body));
    }

    private Map<String, Object> normalize(ObjectNode push) {
        if (push.has("identity_id") || push.has("identity_info") || push.has("ext_data") || push.has("device_id")) {
            return fromBoxForm(push);
        }
        if (push.has("userId") || push.has("userType") || push.has("deviceId") || push.has("crossTime")) {
            return fromPlatformForm(push);
        }
        throw PushRejectedException.badRequest("neither access-record form: expected the platform form "
                + "(userId, userType, crossTime, deviceId, …) or the AI-box form (identity_id, timestamp, device_id, …)");
    }

    private Map<String, Object> fromPlatformForm(JsonNode p) {
        String rawType = text(p, "userType", AccessEvent.MAX_RAW_TYPE);
        String type = platformType(rawType);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put(AccessEvent.SOURCE_FORM, "P");
        event.put(AccessEvent.PERSON_ID, personId(text(p, "userId", AccessEvent.MAX_ID), type, "userId"));
        event.put(AccessEvent.PERSON_NAME, text(p, "userName", AccessEvent.MAX_NAME));
        event.put(AccessEvent.PERSON_TYPE, type);
        event.put(AccessEvent.RAW_PERSON_TYPE, rawType);
        event.put(AccessEvent.SCORE, score(p, "matchScore"));
        event.put(AccessEvent.PASS_TIME, epochMillis(p, "crossTime", true));
        event.put(AccessEvent.BOX_ID, PushJson.requiredText(p, "deviceId", AccessEvent.MAX_ID));
        event.put(AccessEvent.CAMERA_ID, text(p, "cameraId", AccessEvent.MAX_ID));
        event.put(AccessEvent.CAMERA_IP, text(p, "cameraIp", AccessEvent.MAX_IP));
        event.put(AccessEvent.CAMERA_TYPE, integer(p, "cameraType"));
        event.put(AccessEvent.PHOTO_ID, text(p, "photoId", AccessEvent.MAX_NAME));
        event.put(AccessEvent.USER_PHOTO_ID, text(p, "userPhotoId", AccessEvent.MAX_NAME));
        event.put(AccessEvent.CROSS_FACE_ID, text(p, "crossFaceId", AccessEvent.MAX_NAME));
        event.put(AccessEvent.IMAGES, platformImages(p));
        return event;
    }

    private Map<String, Object> fromBoxForm(JsonNode b) {
        JsonNode ext = PushJson.object(b, "ext_data");
        JsonNode identity = PushJson.object(b, "identity_info");
        String rawType = ext == null ? null : text(ext, "person_type", AccessEvent.MAX_RAW_TYPE);
        String type = boxType(rawType);
        String personId = text(b, "identity_id", AccessEvent.MAX_ID);
        if (personId == null && identity != null) {
            personId = text(identity, "user_id", AccessEvent.MAX_ID);
        }
        String name = text(b, "identity_name", AccessEvent.MAX_NAME);
        if (name == null && identity != null) {
            name = text(identity, "name", AccessEvent.MAX_NAME);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put(AccessEvent.SOURCE_FORM, "B");
        event.put(AccessEvent.PERSON_ID, personId(personId, type, "identity_id"));
        event.put(AccessEvent.PERSON_NAME, name);
        event.put(AccessEvent.PERSON_TYPE, type);
        event.put(AccessEvent.RAW_PERSON_TYPE, rawType);
        event.put(AccessEvent.SCORE, score(b, "score"));
        event.put(AccessEvent.PASS_TIME, epochMillis(b, "timestamp", true));
        // device_id is "the capture device that produced the event" (the box's own event doc): the camera.
        // The box is named only where the payload has a box id of its own.
        String boxId = text(b, "box_id", AccessEvent.MAX_ID);
        if (boxId == null && ext != null) {
            boxId = text(ext, "box_id", AccessEvent.MAX_ID);
        }
        event.put(AccessEvent.BOX_ID, boxId);
        event.put(AccessEvent.CAMERA_ID, PushJson.requiredText(b, "device_id", AccessEvent.MAX_ID));
        event.put(AccessEvent.CAMERA_IP, ext == null ? null : text(ext, "device_ip", AccessEvent.MAX_IP));
        event.put(AccessEvent.CAMERA_TYPE, ext == null ? null : integer(ext, "device_type"));
        event.put(AccessEvent.PHOTO_ID, null);
        event.put(AccessEvent.USER_PHOTO_ID, null);
        event.put(AccessEvent.CROSS_FACE_ID, null);
        Map<String, String> images = new LinkedHashMap<>();
        image(images, AccessEvent.IMAGE_ENROLLED, b, "reg_pic");
        if (ext != null) {
            image(images, AccessEvent.IMAGE_SCENE, ext, "spot_pic");
            image(images, AccessEvent.IMAGE_FACE, ext, "recognize_face");
        }
        event.put(AccessEvent.IMAGES, images);
        return event;
    }

    /**
     * One item of the query API's record lists (docs/sophonsight-openapi.md §3.5: {@code data.employees|strangers|visitors})
     * as a canonical event: person id from {@code thirdUserId} / {@code visitorId} (ours), the
     * platform's own {@code userId} beside it, the record's {@code id}, pass time {@code crossTime},
     * captured face {@code fid} and face crop {@code faceFid} as two images (never one for the other).
     * The query names no AI box and the camera only by name ({@code nodeName}); images are there
     * only when the poll asked for them ({@code has*Photo}). A record without crossTime, or without
     * any person id or face id (nothing to recognise it by), is refused with the reason.
     */
    public Map<String, Object> fromQuery(String kind, Map<String, Object> item) {
        JsonNode r = QUERY_JSON.valueToTree(item);
        if (!r.isObject()) {
            throw PushRejectedException.badRequest("the record must be a JSON object");
        }
        String type = switch (kind) {
            case "employee" -> AccessEvent.EMPLOYEE;
            case "visitor" -> AccessEvent.VISITOR;
            case "stranger" -> AccessEvent.STRANGER;
            default -> throw new IllegalArgumentException("unknown kind of access record: " + kind);
        };
        String personId = switch (kind) {
            case "employee" -> text(r, "thirdUserId", AccessEvent.MAX_ID);
            case "visitor" -> text(r, "visitorId", AccessEvent.MAX_ID);
            default -> null;
        };
        String platformPersonId = "employee".equals(kind) ? text(r, "userId", AccessEvent.MAX_ID) : null;
        String faceId = text(r, "fid", AccessEvent.MAX_NAME);
        String faceCropId = text(r, "faceFid", AccessEvent.MAX_NAME);
        if (personId == null && platformPersonId == null && faceId == null && faceCropId == null) {
            throw PushRejectedException.badRequest("the record needs " + switch (kind) {
                case "employee" -> "a person id (thirdUserId or userId) or ";
                case "visitor" -> "a person id (visitorId) or ";
                default -> "";
            } + "a face id (fid or faceFid) to be stored once");
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put(AccessEvent.SOURCE_FORM, "query");
        event.put(AccessEvent.PERSON_ID, personId);
        event.put(AccessEvent.PERSON_NAME, text(r, "visitor".equals(kind) ? "visitorName" : "name", AccessEvent.MAX_NAME));
        event.put(AccessEvent.PERSON_TYPE, type);
        event.put(AccessEvent.RAW_PERSON_TYPE, kind);
        event.put(AccessEvent.SCORE, score(r, "score"));
        event.put(AccessEvent.PASS_TIME, epochMillis(r, "crossTime", true));
        event.put(AccessEvent.BOX_ID, null);
        event.put(AccessEvent.CAMERA_ID, null);
        event.put(AccessEvent.CAMERA_IP, null);
        event.put(AccessEvent.CAMERA_TYPE, null);
        event.put(AccessEvent.CAMERA_NAME, text(r, "nodeName", AccessEvent.MAX_NAME));
        event.put(AccessEvent.PHOTO_ID, faceId);
        event.put(AccessEvent.USER_PHOTO_ID, text(r, "regFid", AccessEvent.MAX_NAME));
        event.put(AccessEvent.CROSS_FACE_ID, faceCropId);
        event.put(AccessEvent.PLATFORM_PERSON_ID, platformPersonId);
        event.put(AccessEvent.RECORD_ID, "stranger".equals(kind) ? null : text(r, "id", AccessEvent.MAX_ID));
        event.put(AccessEvent.IMAGES, platformImages(r));
        return event;
    }

    /** The three base64 images as the platform names them, in pushes (form P) and query records alike. */
    private static Map<String, String> platformImages(JsonNode item) {
        Map<String, String> images = new LinkedHashMap<>();
        image(images, AccessEvent.IMAGE_ENROLLED, item, "userPhoto");
        image(images, AccessEvent.IMAGE_SCENE, item, "crossSrcPhoto");
        image(images, AccessEvent.IMAGE_FACE, item, "crossFacePhoto");
        return images;
    }

    /** A recognition score, refused (400) when it does not fit {@code access_record.score}. */
    private static java.math.BigDecimal score(JsonNode parent, String field) {
        java.math.BigDecimal score = number(parent, field);
        if (score != null && score.abs().compareTo(AccessEvent.MAX_SCORE) > 0) {
            throw PushRejectedException.badRequest("field '" + field + "' must be between -" + AccessEvent.MAX_SCORE
                    + " and " + AccessEvent.MAX_SCORE);
        }
        return score;
    }

    /** A recognised person must name who passed; a stranger or an unknown type may not. */
    private static String personId(String id, String type, String field) {
        if (id == null && !AccessEvent.STRANGER.equals(type) && !AccessEvent.UNKNOWN.equals(type)) {
            throw PushRejectedException.badRequest("missing required field '" + field + "' for a person of type " + type);
        }
        return id;
    }

    static String platformType(String raw) {
        if (raw == null) {
            return AccessEvent.UNKNOWN;
        }
        return switch (raw.toUpperCase(Locale.ROOT)) {
            case "MEMBER", "EMPLOYEE" -> AccessEvent.EMPLOYEE;
            case "VIP" -> AccessEvent.VIP;
            case "VISITOR" -> AccessEvent.VISITOR;
            case "BLACKLIST" -> AccessEvent.BLACKLIST;
            case "STRANGER" -> AccessEvent.STRANGER;
            default -> AccessEvent.UNKNOWN;
        };
    }

    static String boxType(String raw) {
        if (raw == null) {
            return AccessEvent.EMPLOYEE; // docs/sophonsight-openapi.md §4.1: 1 employee, also when absent
        }
        return switch (raw) {
            case "1" -> AccessEvent.EMPLOYEE;
            case "2" -> AccessEvent.VISITOR;
            case "3" -> AccessEvent.BLACKLIST;
            case "4" -> AccessEvent.STRANGER;
            case "5" -> AccessEvent.VIP;
            default -> AccessEvent.UNKNOWN;
        };
    }

    private static boolean hasWhitespace(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            if (value.charAt(i) <= ' ') {
                return true;
            }
        }
        return false;
    }

    /** Keeps a base64 image (validated, whitespace and any data-URL prefix removed) under its canonical slot. */
    private static void image(Map<String, String> images, String slot, JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isTextual()) {
            throw PushRejectedException.badRequest("field '" + field + "' must be a base64 string");
        }
        String value = node.asText();
        int comma = value.startsWith("data:") ? value.indexOf(',') : -1;
        if (comma >= 0) {
            value = value.substring(comma + 1);
        }
        if (hasWhitespace(value)) {
            value = value.replaceAll("\\s+", ""); // MIME-style line breaks
        }
        if (value.isEmpty()) {
            return;
        }
        if (!isBase64(value)) {
            throw PushRejectedException.badRequest("field '" + field + "' is not valid base64");
        }
        images.put(slot, value);
    }

    /**
     * Whether {@link java.util.Base64#getDecoder()} decodes {@code value} (the base64 alphabet, padding only at
     * the end and only as much as the last group needs, optional), checked without decoding it: an image of
     * several MB is not copied once more just to be checked.
     */
    static boolean isBase64(String value) {
        int length = value.length();
        int padding = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == '=') {
                padding++;
            } else if (padding > 0 || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/')) {
                return false;
            }
        }
        int data = length - padding;
        return padding <= 2 && data % 4 != 1 && (padding == 0 || length % 4 == 0);
    }
}
