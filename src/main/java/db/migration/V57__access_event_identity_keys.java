package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.events.AccessEvent;
import io.sophonsight.gateway.events.AccessEventKeys;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Upgrade of the events stored before the cross-source identity (V56): Java, because the keys are
 * SHA-256 of a JSON encoding computed from the stored event, the same way on H2 and PostgreSQL.
 * (Flyway finds Java migrations by this package, which is why it is not in a domain package.)
 *
 * <ul>
 *   <li>fills the lock stripes of {@code access_identity_lock};</li>
 *   <li>for every stored event: the new collision-free dedupe key (the old one joined fields with
 *       {@code |}), the source's key ({@code push_key} or {@code query_key}) and the identity columns,
 *       so a resend of a push stored before the upgrade is still a duplicate, and a query record of a
 *       pass pushed before the upgrade is still matched to it;</li>
 *   <li>an event of the AI-box form stored its {@code device_id} as the box: it is the camera (the
 *       capture device), so it moves to {@code cameraId} in the stored event too;</li>
 *   <li>staged images follow their event's new key.</li>
 * </ul>
 * Events stored by query before record ids were kept get a key without the id; the store step
 * recognises such a row when the same record is read again and gives it the id then.
 */
public class V57__access_event_identity_keys extends BaseJavaMigration {

    private static final int CHUNK = 500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO access_identity_lock (stripe) VALUES (?)")) {
            for (int stripe = 0; stripe < AccessEventKeys.STRIPES; stripe++) {
                insert.setInt(1, stripe);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        long lastId = Long.MIN_VALUE;
        while (true) {
            Map<Long, String[]> chunk = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, dedupe_key, event_json FROM access_event WHERE id > ? ORDER BY id LIMIT " + CHUNK)) {
                select.setLong(1, lastId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        chunk.put(rows.getLong(1), new String[] {rows.getString(2), rows.getString(3)});
                    }
                }
            }
            if (chunk.isEmpty()) {
                return;
            }
            for (Map.Entry<Long, String[]> row : chunk.entrySet()) {
                upgrade(connection, row.getKey(), row.getValue()[0], row.getValue()[1]);
                lastId = row.getKey();
            }
        }
    }

    private static void upgrade(Connection connection, long id, String oldKey, String eventJson) throws Exception {
        Map<String, Object> event = JSON.readValue(eventJson, MAP);
        boolean changed = false;
        if ("B".equals(event.get(AccessEvent.SOURCE_FORM)) && event.get(AccessEvent.CAMERA_ID) == null) {
            event.put(AccessEvent.CAMERA_ID, event.get(AccessEvent.BOX_ID));
            event.put(AccessEvent.BOX_ID, null);
            changed = true;
        }
        boolean fromQuery = AccessEventKeys.fromQuery(event);
        String key = AccessEventKeys.dedupeKey(event);
        event.put(AccessEvent.DEDUPE_KEY, key);
        try (PreparedStatement update = connection.prepareStatement("UPDATE access_event SET dedupe_key = ?, push_key = ?, "
                + "query_key = ?, person_id = ?, platform_person_id = ?, photo_id = ?, cross_face_id = ?, box_id = ?, "
                + "camera_id = ?, camera_name = ?, record_id = ?, event_json = ? WHERE id = ?")) {
            update.setString(1, key);
            update.setString(2, fromQuery ? null : key);
            update.setString(3, fromQuery ? key : null);
            update.setString(4, text(event, AccessEvent.PERSON_ID));
            update.setString(5, text(event, AccessEvent.PLATFORM_PERSON_ID));
            update.setString(6, text(event, AccessEvent.PHOTO_ID));
            update.setString(7, text(event, AccessEvent.CROSS_FACE_ID));
            update.setString(8, text(event, AccessEvent.BOX_ID));
            update.setString(9, text(event, AccessEvent.CAMERA_ID));
            update.setString(10, text(event, AccessEvent.CAMERA_NAME));
            update.setString(11, text(event, AccessEvent.RECORD_ID));
            update.setString(12, changed || !key.equals(oldKey) ? JSON.writeValueAsString(event) : eventJson);
            update.setLong(13, id);
            update.executeUpdate();
        }
        if (!key.equals(oldKey)) {
            try (PreparedStatement images = connection.prepareStatement(
                    "UPDATE access_event_image SET dedupe_key = ? WHERE dedupe_key = ?")) {
                images.setString(1, key);
                images.setString(2, oldKey);
                images.executeUpdate();
            }
        }
    }

    private static String text(Map<String, Object> event, String field) throws SQLException {
        Object value = event.get(field);
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }
}
