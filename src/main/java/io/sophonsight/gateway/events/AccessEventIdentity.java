package io.sophonsight.gateway.events;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Stores one access event inside the store step's transaction, once per pass, whichever source
 * told it first (README, "Stored once: the dedupe key"):
 * <ol>
 *   <li><b>the same push again</b> (a resend) or <b>the same query record again</b> (an overlapping
 *       window): found by its exact key ({@code push_key} / {@code query_key}, both UNIQUE) -> {@code duplicate};</li>
 *   <li><b>the other source's row of the same pass</b> -> {@code matched}: a row learned only from the
 *       other source whose person matches under either id (the push's {@code userId} against the query's
 *       {@code thirdUserId} or {@code userId}; for a pass without person, a shared face id), whose pass time
 *       is within the tolerance, and whose device is not known to differ (see {@link #sameDevice}); the
 *       nearest in time wins. The row gains the second key (and the query record's id);</li>
 *   <li>otherwise a new row -> {@code stored}.</li>
 * </ol>
 *
 * <p>Race-free: the caller holds, in the same transaction, the rows of {@code access_identity_lock}
 * of the event's stripes ({@link AccessEventKeys#stripes}, {@code SELECT … FOR UPDATE}). A push and a
 * query record of the same pass share the stripe of the person id they have in common, so one of
 * them commits before the other looks; on PostgreSQL the row locks hold across replicas.
 */
final class AccessEventIdentity {

    /** Outcomes, returned by {@link AccessEventWriter#store} (header AccessEventStoreResult of the store route). */
    static final String STORED = "stored";
    static final String DUPLICATE = "duplicate";
    static final String MATCHED = "matched";

    static final String LOCK_STRIPES =
            "SELECT stripe FROM access_identity_lock WHERE stripe IN (:stripes) ORDER BY stripe FOR UPDATE";
    private static final String BY_PUSH_KEY = "SELECT id FROM access_event WHERE push_key = :pushKey";
    private static final String BY_QUERY_KEY = "SELECT id FROM access_event WHERE query_key = :queryKey";
    /**
     * A record stored by query before record ids were kept (Flyway V66): same person or face, same millisecond.
     * One SELECT per id column, joined by UNION, and the key conditions checked in Java: written as one
     * {@code (a IN (..) OR b IN (..))} with {@code query_key IS NOT NULL}, H2 scanned the whole table for every query
     * record (EXPLAIN ANALYZE: scanCount = rows); per column it reads the few rows of that id's index.
     */
    private static final String LEGACY_QUERY_ROWS = "SELECT id, query_key, record_id, source_form FROM access_event "
            + "WHERE pass_time = :passTime AND %s IN (:ids)";
    /**
     * The other source's rows of a pass: per id column, within the tolerance; {@code own_key} (this source's key
     * column) is checked in Java. With {@code push_key IS NULL} / {@code query_key IS NULL} in the WHERE clause H2
     * chose that key's unique index and scanned every row the other source alone had stored (scanCount = rows per
     * event); by the (id, pass_time) indexes it reads only the person's or face's passes of the window.
     */
    private static final String CANDIDATES = "SELECT id, pass_time, box_id, camera_id, camera_name, %s AS own_key "
            + "FROM access_event WHERE pass_time BETWEEN :from AND :to AND %s IN (:ids)";
    private static final String[] BY_PERSON = {"person_id", "platform_person_id"};
    private static final String[] BY_FACE = {"photo_id", "cross_face_id"};
    private static final String MERGE_PUSH = "UPDATE access_event SET push_key = :pushKey, box_id = COALESCE(box_id, :boxId), "
            + "camera_id = COALESCE(camera_id, :cameraId) WHERE id = :id AND push_key IS NULL";
    private static final String MERGE_QUERY = "UPDATE access_event SET query_key = :queryKey, record_id = :recordId, "
            + "platform_person_id = COALESCE(platform_person_id, :platformPersonId), "
            + "camera_name = COALESCE(camera_name, :cameraName) WHERE id = :id AND query_key IS NULL";
    private static final String ADOPT_LEGACY = "UPDATE access_event SET query_key = :queryKey, record_id = :recordId WHERE id = :id";
    /** Names the platform gives a box or camera: device inventory (cross/search) and device-status pushes. */
    private static final String NAMES_OF_IDS = "SELECT name FROM device WHERE location_id IN (:ids) AND name IS NOT NULL "
            + "UNION SELECT name FROM device_state WHERE (camera_id IN (:ids) OR camera_id = '' AND box_id IN (:ids)) "
            + "AND name IS NOT NULL";
    private static final String IDS_OF_NAME = "SELECT location_id FROM device WHERE name = :name "
            + "UNION SELECT CASE WHEN camera_id = '' THEN box_id ELSE camera_id END FROM device_state WHERE name = :name";

    private final NamedParameterJdbcTemplate jdbc;
    private final String insertEvent;
    private final String insertImages;
    private final long toleranceMillis;

    AccessEventIdentity(NamedParameterJdbcTemplate jdbc, String insertEvent, String insertImages, Duration tolerance) {
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("push.identity.tolerance must not be negative");
        }
        this.jdbc = jdbc;
        this.insertEvent = insertEvent;
        this.insertImages = insertImages;
        this.toleranceMillis = tolerance.toMillis();
    }

    /** Locks the identity stripes of a batch, in ascending order (two transactions never wait on each other in a circle). */
    void lock(SortedSet<Integer> stripes) {
        if (!stripes.isEmpty()) {
            jdbc.queryForList(LOCK_STRIPES, new MapSqlParameterSource("stripes", stripes), Integer.class);
        }
    }

    /** Stores the row of {@link AccessEventStore#row} once per pass; the stripes of the row must be locked. */
    String store(Map<String, Object> row) {
        MapSqlParameterSource params = new MapSqlParameterSource(row);
        boolean fromQuery = row.get("queryKey") != null;
        if (!jdbc.queryForList(fromQuery ? BY_QUERY_KEY : BY_PUSH_KEY, params, Long.class).isEmpty()) {
            return DUPLICATE;
        }
        List<String> personIds = ids(row, AccessEventStore.PERSON_IDS);
        List<String> faceIds = ids(row, AccessEventStore.FACE_IDS);
        List<String> ids = personIds.isEmpty() ? faceIds : personIds;
        String[] idColumns = personIds.isEmpty() ? BY_FACE : BY_PERSON;
        if (!ids.isEmpty()) {
            params.addValue("ids", ids);
            if (fromQuery && row.get("recordId") != null && adoptLegacyRow(params, idColumns)) {
                return DUPLICATE;
            }
            Long match = match(row, params, fromQuery, idColumns);
            if (match != null) {
                params.addValue("id", match);
                jdbc.update(fromQuery ? MERGE_QUERY : MERGE_PUSH, params);
                return MATCHED;
            }
        }
        if (jdbc.update(insertEvent, params) == 0) {
            return DUPLICATE; // the same dedupe key (an event without person or face id, sent again)
        }
        if (Boolean.TRUE.equals(row.get(AccessEventStore.HAS_IMAGES))) {
            jdbc.update(insertImages, params);
        }
        return STORED;
    }

    /** A row the query stored before record ids were kept is this record: it takes the record's key and id. */
    private boolean adoptLegacyRow(MapSqlParameterSource params, String[] idColumns) {
        Long legacy = null;
        for (Map<String, Object> candidate : jdbc.queryForList(union(LEGACY_QUERY_ROWS, idColumns), params)) {
            long id = ((Number) candidate.get("id")).longValue();
            if (candidate.get("query_key") != null && candidate.get("record_id") == null
                    && "query".equals(candidate.get("source_form")) && (legacy == null || id < legacy)) {
                legacy = id;
            }
        }
        if (legacy == null) {
            return false;
        }
        params.addValue("id", legacy);
        jdbc.update(ADOPT_LEGACY, params);
        return true;
    }

    /** {@code template} once per id column ({@code %s}: the column), joined by UNION. */
    private static String union(String template, String[] idColumns) {
        return String.format(template, idColumns[0]) + " UNION " + String.format(template, idColumns[1]);
    }

    /** The id of the other source's row of the same pass, the nearest in time; null when there is none. */
    private Long match(Map<String, Object> row, MapSqlParameterSource params, boolean fromQuery, String[] idColumns) {
        long passTime = ((Number) row.get(AccessEventStore.PASS_MILLIS)).longValue();
        params.addValue("from", new Timestamp(passTime - toleranceMillis));
        params.addValue("to", new Timestamp(passTime + toleranceMillis));
        List<Map<String, Object>> candidates = jdbc.queryForList(
                union(String.format(CANDIDATES, fromQuery ? "query_key" : "push_key", "%s"), idColumns), params);
        Long best = null;
        long bestDistance = Long.MAX_VALUE;
        for (Map<String, Object> candidate : candidates) {
            if (candidate.get("own_key") != null) {
                continue; // already holds this source's key: another pass, or this one stored by this source
            }
            long distance = Math.abs(millis(candidate.get("pass_time")) - passTime);
            long id = ((Number) candidate.get("id")).longValue();
            if (distance > bestDistance || distance == bestDistance && best != null && best < id) {
                continue;
            }
            boolean same = fromQuery
                    ? sameDevice(devices(candidate.get("box_id"), candidate.get("camera_id")), (String) row.get("cameraName"))
                    : sameDevice(devices(row.get("boxId"), row.get("cameraId")), (String) candidate.get("camera_name"));
            if (same) {
                best = id;
                bestDistance = distance;
            }
        }
        return best;
    }

    /**
     * Whether a push naming its box and camera by id and a query record naming its device by
     * {@code nodeName} may be the same device. Yes when the name is one of the ids, or a name the
     * platform gives one of them (device inventory, device-status pushes), or resolves to one of them.
     * No when the gateway knows names for the push's devices or ids for the record's name and none
     * agree. When it knows neither, it cannot tell, and the device does not stand in the way.
     */
    boolean sameDevice(List<String> pushDeviceIds, String queryDeviceName) {
        if (queryDeviceName == null || pushDeviceIds.isEmpty()) {
            return true;
        }
        if (pushDeviceIds.contains(queryDeviceName)) {
            return true;
        }
        Set<String> names = new HashSet<>(jdbc.queryForList(NAMES_OF_IDS, new MapSqlParameterSource("ids", pushDeviceIds), String.class));
        if (names.contains(queryDeviceName)) {
            return true;
        }
        List<String> idsOfName = jdbc.queryForList(IDS_OF_NAME, new MapSqlParameterSource("name", queryDeviceName), String.class);
        for (String id : idsOfName) {
            if (pushDeviceIds.contains(id)) {
                return true;
            }
        }
        return names.isEmpty() && idsOfName.isEmpty();
    }

    /** A TIMESTAMP WITH TIME ZONE as the driver returns it (H2: OffsetDateTime, PostgreSQL: Timestamp). */
    private static long millis(Object value) {
        if (value instanceof java.time.OffsetDateTime time) {
            return time.toInstant().toEpochMilli();
        }
        if (value instanceof java.util.Date date) {
            return date.getTime();
        }
        if (value instanceof java.time.Instant instant) {
            return instant.toEpochMilli();
        }
        throw new IllegalStateException("access_event.pass_time read as " + (value == null ? "null" : value.getClass().getName()));
    }

    private static List<String> devices(Object boxId, Object cameraId) {
        List<String> ids = new ArrayList<>(2);
        for (Object id : new Object[] {cameraId, boxId}) {
            if (id != null && !id.toString().isBlank()) {
                ids.add(id.toString());
            }
        }
        return ids;
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(Map<String, Object> row, String key) {
        Object ids = row.get(key);
        return ids == null ? List.of() : List.copyOf((Collection<String>) ids);
    }
}
