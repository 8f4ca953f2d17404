package io.sophonsight.gateway.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The keys an access event is recognised by (README, "Stored once: the dedupe key").
 *
 * <p><b>Exact keys</b>, SHA-256 hex of a JSON array (every value quoted and escaped, so no two
 * different field tuples give the same text: box {@code a|b} + camera {@code c} and box {@code a}
 * + camera {@code b|c} are {@code ["place","a|b","c",…]} and {@code ["place","a","b|c",…]}):
 * <ul>
 *   <li>push key: {@code ["person", personId, passTime]} for a known person, else
 *       {@code ["face", photoId]}, else {@code ["place", boxId, cameraId, passTime]}; a resend of
 *       the same push has the same key;</li>
 *   <li>query key: {@code ["query", kind, "id", recordId]} for a record with an {@code id}, else
 *       {@code ["query", kind, personId, platformPersonId, photoId, crossFaceId, cameraName, passTime]};
 *       the same record read again (overlapping windows) has the same key.</li>
 * </ul>
 *
 * <p><b>Identity</b> across the two sources (a push and a query record of the same pass): see
 * {@link AccessEventIdentity}. The lock stripes of an event are derived from the ids it can be
 * matched by, so two events that may match always share a stripe.
 */
public final class AccessEventKeys {

    /** Stripes of the identity lock table (access_identity_lock, Flyway V66): enough that unrelated passes rarely wait. */
    public static final int STRIPES = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private AccessEventKeys() {
    }

    /** The key of the row an event creates: the query key for query records, the push key otherwise. */
    public static String dedupeKey(Map<String, ?> event) {
        return fromQuery(event) ? queryKey(event) : pushKey(event);
    }

    public static boolean fromQuery(Map<String, ?> event) {
        return "query".equals(string(event.get(AccessEvent.SOURCE_FORM)));
    }

    public static String pushKey(Map<String, ?> event) {
        String personId = string(event.get(AccessEvent.PERSON_ID));
        Long passTime = millis(event.get(AccessEvent.PASS_TIME));
        String photoId = string(event.get(AccessEvent.PHOTO_ID));
        if (personId != null) {
            return hash("person", personId, passTime);
        }
        if (photoId != null) {
            return hash("face", photoId);
        }
        return hash("place", string(event.get(AccessEvent.BOX_ID)), string(event.get(AccessEvent.CAMERA_ID)), passTime);
    }

    public static String queryKey(Map<String, ?> event) {
        String kind = string(event.get(AccessEvent.RAW_PERSON_TYPE));
        String recordId = string(event.get(AccessEvent.RECORD_ID));
        if (recordId != null) {
            return hash("query", kind, "id", recordId);
        }
        return hash("query", kind, string(event.get(AccessEvent.PERSON_ID)), string(event.get(AccessEvent.PLATFORM_PERSON_ID)),
                string(event.get(AccessEvent.PHOTO_ID)), string(event.get(AccessEvent.CROSS_FACE_ID)),
                string(event.get(AccessEvent.CAMERA_NAME)), millis(event.get(AccessEvent.PASS_TIME)));
    }

    /** Every id the event names its person by: ours (push userId, query thirdUserId/visitorId) and the platform's (query userId). */
    public static List<String> personIds(Map<String, ?> event) {
        return distinct(string(event.get(AccessEvent.PERSON_ID)), string(event.get(AccessEvent.PLATFORM_PERSON_ID)));
    }

    /** The ids of the captured images (push photoId/crossFaceId, query fid/faceFid): one capture each. */
    public static List<String> faceIds(Map<String, ?> event) {
        return distinct(string(event.get(AccessEvent.PHOTO_ID)), string(event.get(AccessEvent.CROSS_FACE_ID)));
    }

    /**
     * The lock stripes to hold while the event is matched and stored: those of its person ids, or of
     * its face ids when it names no person. Empty when it names neither (it is then stored by its exact key only).
     */
    public static SortedSet<Integer> stripes(Map<String, ?> event) {
        List<String> ids = personIds(event);
        if (ids.isEmpty()) {
            ids = faceIds(event);
        }
        SortedSet<Integer> stripes = new TreeSet<>();
        for (String id : ids) {
            stripes.add(stripe(id));
        }
        return stripes;
    }

    static int stripe(String id) {
        return Math.floorMod(id.hashCode(), STRIPES);
    }

    /** SHA-256 hex of the parts written as one JSON array. */
    static String hash(Object... parts) {
        try {
            byte[] text = JSON.writeValueAsBytes(Arrays.asList(parts));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> distinct(String... values) {
        Set<String> set = new LinkedHashSet<>();
        for (String value : values) {
            if (value != null) {
                set.add(value);
            }
        }
        return new ArrayList<>(set);
    }

    static Long millis(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof java.util.Date date) {
            return date.getTime();
        }
        return Long.valueOf(value.toString().trim());
    }

    static String string(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }
}
