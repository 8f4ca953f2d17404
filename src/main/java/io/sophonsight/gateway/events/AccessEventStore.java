package io.sophonsight.gateway.events;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/**
 * Java side of the store step {@code direct:access-event-store} and of the fan-out poller: the
 * row the outbox keeps (canonical event as JSON, the columns the identity of a pass is matched by;
 * base64 images staged apart, in access_event_image, until the fan-out has written them to files),
 * and the event rebuilt from that row. The keys are {@link AccessEventKeys}'; matching a push with a
 * query record of the same pass is {@link AccessEventIdentity}'s.
 */
@Component("accessEventStore")
public class AccessEventStore {

    /** The pass time as a SQL timestamp, for the access_record insert. */
    public static final String PASS_TIMESTAMP = "passTimestamp";
    /** Whether base64 images of the event are staged in access_event_image. */
    public static final String HAS_IMAGES = "hasImages";

    /** Row parameters used by the identity match, not columns: pass time in ms, person and face ids, lock stripes. */
    static final String PASS_MILLIS = "passMillis";
    static final String PERSON_IDS = "personIds";
    static final String FACE_IDS = "faceIds";
    static final String STRIPES = "stripes";

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final ObjectMapper mapper;

    public AccessEventStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public static String dedupeKey(Map<String, ?> event) {
        return AccessEventKeys.dedupeKey(event);
    }

    /** The parameters of the outbox insert: key, columns to search by, the event as JSON, staged images. */
    public Map<String, Object> row(Map<String, Object> event) throws JsonProcessingException {
        Object passTime = event.get(AccessEvent.PASS_TIME);
        if (passTime == null || event.get(AccessEvent.PERSON_TYPE) == null) {
            throw new IllegalArgumentException("a canonical access event needs passTime and personType");
        }
        String key = dedupeKey(event);
        event.put(AccessEvent.DEDUPE_KEY, key);
        Map<String, Object> withoutImages = new LinkedHashMap<>(event);
        Object images = withoutImages.remove(AccessEvent.IMAGES);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("dedupeKey", key);
        row.put("sourceForm", event.get(AccessEvent.SOURCE_FORM));
        row.put("personType", event.get(AccessEvent.PERSON_TYPE));
        row.put("passTime", Timestamp.from(Instant.ofEpochMilli(((Number) passTime).longValue())));
        row.put("eventJson", mapper.writeValueAsString(withoutImages));
        // identity of the pass: which source it came from, and who, where, when (AccessEventIdentity)
        boolean fromQuery = AccessEventKeys.fromQuery(event);
        row.put("pushKey", fromQuery ? null : key);
        row.put("queryKey", fromQuery ? key : null);
        row.put("personId", event.get(AccessEvent.PERSON_ID));
        row.put("platformPersonId", event.get(AccessEvent.PLATFORM_PERSON_ID));
        row.put("photoId", event.get(AccessEvent.PHOTO_ID));
        row.put("crossFaceId", event.get(AccessEvent.CROSS_FACE_ID));
        row.put("boxId", event.get(AccessEvent.BOX_ID));
        row.put("cameraId", event.get(AccessEvent.CAMERA_ID));
        row.put("cameraName", event.get(AccessEvent.CAMERA_NAME));
        row.put("recordId", event.get(AccessEvent.RECORD_ID));
        row.put(PASS_MILLIS, ((Number) passTime).longValue());
        row.put(PERSON_IDS, AccessEventKeys.personIds(event));
        row.put(FACE_IDS, AccessEventKeys.faceIds(event));
        row.put(STRIPES, AccessEventKeys.stripes(event));
        boolean hasImages = images instanceof Map<?, ?> map && !map.isEmpty();
        row.put(HAS_IMAGES, hasImages);
        row.put("imagesJson", hasImages ? imagesJson((Map<?, ?>) images) : null);
        // staged with the row from here on: the event goes on without them, so the row holds the only copy
        event.remove(AccessEvent.IMAGES);
        return row;
    }

    /**
     * The staged images as JSON ({@code {"enrolled":"<base64>",...}}). The normalizer has checked every image
     * against the base64 alphabet, which needs no escaping in JSON: the text is then joined in one allocation
     * of its final size (a JSON writer's char buffers took twice the images' size more, per push).
     */
    String imagesJson(Map<?, ?> images) throws JsonProcessingException {
        List<String> parts = new ArrayList<>(4 * images.size() + 1);
        for (Map.Entry<?, ?> image : images.entrySet()) {
            if (!(image.getKey() instanceof String slot) || !slot.matches("[a-z]+")
                    || !(image.getValue() instanceof String base64) || !AccessEventNormalizer.isBase64(base64)) {
                return mapper.writeValueAsString(images);
            }
            parts.add(parts.isEmpty() ? "{\"" : ",\"");
            parts.add(slot);
            parts.add("\":\"");
            parts.add(base64);
            parts.add("\"");
        }
        parts.add("}");
        return String.join("", parts);
    }

    /** The event of an outbox row (columns id, dedupe_key, event_json, has_images); images stay staged. */
    public Map<String, Object> event(Map<String, Object> row) throws JsonProcessingException {
        Map<String, Object> event = mapper.readValue(string(row.get("event_json")), MAP);
        event.put(AccessEvent.DEDUPE_KEY, string(row.get("dedupe_key")));
        event.put(HAS_IMAGES, Boolean.TRUE.equals(row.get("has_images")));
        event.put(AccessEvent.EVENT_ID, ((Number) row.get("id")).longValue());
        for (String key : AccessEvent.COLUMNS) {
            event.putIfAbsent(key, null);
        }
        for (String slot : java.util.List.of(AccessEvent.IMAGE_ENROLLED, AccessEvent.IMAGE_SCENE, AccessEvent.IMAGE_FACE)) {
            event.putIfAbsent(slot + "PhotoFile", null); // set by the image step when the event has images
        }
        event.put(PASS_TIMESTAMP, Timestamp.from(Instant.ofEpochMilli(((Number) event.get(AccessEvent.PASS_TIME)).longValue())));
        return event;
    }

    /** The event as the queues get it: no base64, file paths instead. */
    public String json(Map<String, Object> event) throws JsonProcessingException {
        Map<String, Object> copy = new LinkedHashMap<>(event);
        copy.remove(AccessEvent.IMAGES);
        copy.remove(PASS_TIMESTAMP);
        copy.remove(HAS_IMAGES);
        copy.keySet().removeIf(key -> key.endsWith("PhotoFile"));
        return mapper.writeValueAsString(copy);
    }

    private static String string(Object value) {
        if (value == null) {
            return null;
        }
        String text = value instanceof java.sql.Clob clob ? clobText(clob) : value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    private static String clobText(java.sql.Clob clob) {
        try {
            return clob.getSubString(1, (int) clob.length());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
