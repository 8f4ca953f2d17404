package io.sophonsight.gateway.hr;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.sophonsight.gateway.common.Text;
import io.sophonsight.gateway.common.FailureReason;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The gateway's record of what the platform holds ({@code sync_state}) and of each run
 * ({@code sync_run}), in the gateway's own database. A row is written only after the platform
 * confirmed the call, so nothing is ever marked synced that the platform did not accept.
 * Plain SQL that runs on H2 and PostgreSQL alike (update, then insert when nothing was updated).
 */
@Component("hrSyncStateStore")
public class HrSyncStateStore {

    /** Size of the reason columns (sync_state.last_error, sync_run.message, dead_letter.reason). */
    private static final int MAX_TEXT = 2000;

    /** One sync_state row. {@code syncedAt == null}: the platform never confirmed it. */
    public record State(String kind, String thirdId, String parentId, String contentHash, String photoHash, String photoId,
                        String pendingPhotoHash, String pendingPhotoId, String platformId, OffsetDateTime syncedAt,
                        String lastError) {
        public boolean onPlatform() {
            return syncedAt != null;
        }
    }

    /** What the platform confirmed for one record, waiting in a run's buffer for the next batched write. */
    public record Synced(String kind, String thirdId, String parentId, String contentHash, String photoHash, String photoId,
                         String platformId) { }

    private static final String COLUMNS = "SELECT kind, third_id, parent_id, content_hash, photo_hash, photo_id, "
            + "pending_photo_hash, pending_photo_id, platform_id, synced_at, last_error FROM sync_state ";
    private static final String UPDATE_SYNCED = "UPDATE sync_state SET parent_id = ?, content_hash = ?, photo_hash = ?, "
            + "photo_id = ?, pending_photo_hash = NULL, pending_photo_id = NULL, platform_id = COALESCE(?, platform_id), "
            + "synced_at = ?, last_error = NULL, last_error_at = NULL WHERE kind = ? AND third_id = ?";
    private static final String INSERT_SYNCED = "INSERT INTO sync_state (parent_id, content_hash, photo_hash, photo_id, "
            + "platform_id, synced_at, kind, third_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transaction;

    public HrSyncStateStore(@Qualifier("dataSource") DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** Every row of a kind; for the orgs (a tree of hundreds), never the people. */
    public Map<String, State> load(String kind) {
        Map<String, State> states = new HashMap<>();
        jdbc.query(COLUMNS + "WHERE kind = ?", rs -> {
            State s = state(rs);
            states.put(s.thirdId(), s);
        }, kind);
        return states;
    }

    /** The rows of these people (one batch of a run), in one query. */
    public Map<String, State> loadPeople(List<String> thirdIds) {
        Map<String, State> states = new HashMap<>();
        if (thirdIds.isEmpty()) {
            return states;
        }
        named.query(COLUMNS + "WHERE kind = :kind AND third_id IN (:ids)",
                new MapSqlParameterSource("kind", HrChange.PERSON).addValue("ids", thirdIds), rs -> {
                    State s = state(rs);
                    states.put(s.thirdId(), s);
                });
        return states;
    }

    /** How many records of a kind the platform holds, as far as the gateway knows. */
    public int countOnPlatform(String kind) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM sync_state WHERE kind = ? AND synced_at IS NOT NULL",
                Integer.class, kind);
        return count == null ? 0 : count;
    }

    /** Every id of a kind with whether the platform holds it, row by row (the full run's delete pass). */
    public void forEachId(String kind, java.util.function.BiConsumer<String, Boolean> action) {
        jdbc.query("SELECT third_id, synced_at FROM sync_state WHERE kind = ?",
                rs -> {
                    action.accept(rs.getString(1), rs.getObject(2) != null);
                }, kind);
    }

    private static State state(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new State(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getObject(10, OffsetDateTime.class), rs.getString(11));
    }

    /**
     * Records many confirmed calls in one transaction with two JDBC batches (update, then insert of the rows the
     * update did not find): one commit for a batch of people instead of two statements and commits per person.
     */
    public void synced(List<Synced> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        // one row per record, the last outcome wins (HR listing an id twice must not make the insert batch fail)
        Map<String, Synced> byKey = new java.util.LinkedHashMap<>();
        outcomes.forEach(s -> byKey.put(s.kind() + ':' + s.thirdId(), s));
        List<Synced> confirmed = new ArrayList<>(byKey.values());
        Timestamp now = now();
        transaction.executeWithoutResult(status -> {
            int[] updated = jdbc.batchUpdate(UPDATE_SYNCED, confirmed, confirmed.size(), (ps, s) -> bind(ps, s, now))[0];
            List<Synced> missing = new ArrayList<>();
            for (int i = 0; i < updated.length; i++) {
                if (updated[i] == 0) {
                    missing.add(confirmed.get(i));
                }
            }
            if (!missing.isEmpty()) {
                jdbc.batchUpdate(INSERT_SYNCED, missing, missing.size(), (ps, s) -> bind(ps, s, now));
            }
        });
    }

    private static void bind(PreparedStatement ps, Synced s, Timestamp now) throws java.sql.SQLException {
        ps.setString(1, s.parentId());
        ps.setString(2, s.contentHash());
        ps.setString(3, s.photoHash());
        ps.setString(4, s.photoId());
        ps.setString(5, s.platformId());
        ps.setTimestamp(6, now);
        ps.setString(7, s.kind());
        ps.setString(8, s.thirdId());
    }

    /** The platform accepted one org or person: this is now what it holds. */
    public void synced(Synced confirmed) {
        synced(List.of(confirmed));
    }

    /**
     * A photo was uploaded for a person whose addOrEdit has not gone through yet: remembered, so
     * the next attempt references this upload instead of sending the same bytes again.
     */
    public void photoUploaded(String thirdId, String photoHash, String photoId) {
        MapSqlParameterSource p = key(HrChange.PERSON, thirdId).addValue("hash", photoHash).addValue("photoId", photoId);
        int updated = named.update("UPDATE sync_state SET pending_photo_hash = :hash, pending_photo_id = :photoId "
                + "WHERE kind = :kind AND third_id = :thirdId", p);
        if (updated == 0) {
            named.update("INSERT INTO sync_state (kind, third_id, pending_photo_hash, pending_photo_id) "
                    + "VALUES (:kind, :thirdId, :hash, :photoId)", p);
        }
    }

    /** Forgets a remembered upload, so the next attempt uploads the photo afresh. */
    public void clearPendingPhoto(String thirdId) {
        jdbc.update("UPDATE sync_state SET pending_photo_hash = NULL, pending_photo_id = NULL WHERE kind = ? AND third_id = ?",
                HrChange.PERSON, thirdId);
    }

    /** The platform refused this record: kept on its row (a row that was never synced stays unsynced). */
    public void refused(String kind, String thirdId, String error) {
        MapSqlParameterSource p = key(kind, thirdId).addValue("error", FailureReason.text(error, MAX_TEXT)).addValue("now", now());
        int updated = named.update("UPDATE sync_state SET last_error = :error, last_error_at = :now "
                + "WHERE kind = :kind AND third_id = :thirdId", p);
        if (updated == 0) {
            named.update("INSERT INTO sync_state (kind, third_id, last_error, last_error_at) "
                    + "VALUES (:kind, :thirdId, :error, :now)", p);
        }
    }

    /** The platform deleted these ids, or they never reached it: the gateway forgets them. */
    public void forget(String kind, List<String> thirdIds) {
        if (thirdIds.isEmpty()) {
            return;
        }
        named.update("DELETE FROM sync_state WHERE kind = :kind AND third_id IN (:ids)",
                new MapSqlParameterSource("kind", kind).addValue("ids", thirdIds));
    }

    // ---- sync_run ----

    public long startRun(HrSyncRun run) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO sync_run (mode, dry_run, status, started_at) VALUES (?, ?, 'RUNNING', ?)", new String[] {"id"});
            insert.setString(1, run.getMode().name());
            insert.setBoolean(2, run.isDryRun());
            insert.setTimestamp(3, Timestamp.from(run.getStartedAt()));
            return insert;
        }, key);
        return key.getKey().longValue();
    }

    public void finishRun(HrSyncRun run) {
        jdbc.update("UPDATE sync_run SET status = ?, ended_at = ?, created = ?, updated = ?, deleted = ?, failed = ?, "
                        + "rejected = ?, held = ?, unchanged = ?, watermark = ?, message = ? WHERE id = ?",
                run.getStatus(), Timestamp.from(run.getEndedAt()), run.getCreated(), run.getUpdated(), run.getDeleted(),
                run.getFailed(), run.getRejected(), run.getHeld(), run.getUnchanged(), run.getNextWatermark(),
                FailureReason.text(run.getMessage(), MAX_TEXT), run.getId());
    }

    /** Keeps the audit trail bounded: runs that started before this instant are dropped. */
    public void forgetRunsBefore(java.time.Instant cutoff) {
        jdbc.update("DELETE FROM sync_run WHERE started_at < ? AND status <> 'RUNNING'", Timestamp.from(cutoff));
    }

    /** Where the next incremental run starts reading: the watermark of the last run that completed. */
    public Timestamp lastWatermark() {
        List<Timestamp> found = jdbc.queryForList("SELECT watermark FROM sync_run WHERE status = 'COMPLETED' "
                + "AND dry_run = FALSE AND watermark IS NOT NULL ORDER BY id DESC LIMIT 1", Timestamp.class);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Records an HR row rejected locally in the shared dead_letter table, once per row and reason. */
    public void rejected(String flow, HrSyncPlan.Rejection rejection) {
        String ref = rejection.kind() + ":" + Text.truncate(rejection.thirdId(), 190);
        String reason = FailureReason.text(rejection.reason(), MAX_TEXT);
        Integer existing = jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter WHERE flow = ? AND payload_ref = ? "
                + "AND reason = ? AND replayed_at IS NULL", Integer.class, flow, ref, reason);
        if (existing == null || existing == 0) {
            jdbc.update("INSERT INTO dead_letter (flow, reason, payload, payload_ref) VALUES (?, ?, ?, ?)",
                    flow, reason, Text.truncate(rejection.row(), 4000), ref);
        }
    }

    private static MapSqlParameterSource key(String kind, String thirdId) {
        return new MapSqlParameterSource("kind", kind).addValue("thirdId", thirdId);
    }

    private static Timestamp now() {
        return new Timestamp(System.currentTimeMillis());
    }
}
