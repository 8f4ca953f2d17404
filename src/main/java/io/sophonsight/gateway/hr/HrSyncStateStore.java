package io.sophonsight.gateway.hr;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The planner's reads of {@code sync_state}, what the platform holds as far as the gateway knows. Every write
 * of {@code sync_state} and {@code sync_run} is a {@code sql:} step of {@code routes/hr-sync.camel.yaml}
 * (files in {@code sql/hr-sync/}); a row is written only after the platform confirmed the call.
 */
@Component("hrSyncStateStore")
public class HrSyncStateStore {

    /** One sync_state row. {@code syncedAt == null}: the platform never confirmed it. */
    public record State(String kind, String thirdId, String parentId, String contentHash, String photoHash, String photoId,
                        String pendingPhotoHash, String pendingPhotoId, String platformId, OffsetDateTime syncedAt,
                        String lastError) {
        public boolean onPlatform() {
            return syncedAt != null;
        }
    }

    private static final String COLUMNS = "SELECT kind, third_id, parent_id, content_hash, photo_hash, photo_id, "
            + "pending_photo_hash, pending_photo_id, platform_id, synced_at, last_error FROM sync_state ";

    /** The rows of a list of ids ({@code :ids}), every kind: {@link #loadPeople}. */
    static final String ROWS_BY_ID = COLUMNS + "WHERE third_id IN (:ids)";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    public HrSyncStateStore(@Qualifier("dataSource") DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(jdbc);
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
        // By the id alone, the kind checked here: H2 looks an IN list up in an index only when the list's column
        // leads the index (sync_state_third_id, V58); with `kind = ?` beside it, H2 chose the primary key
        // (kind, third_id) instead and compared every PERSON row with every id of the batch - quadratic in the
        // size of HR (a no-change run of 100,000 people: 123 s). An org sharing a person's id is skipped here.
        named.query(ROWS_BY_ID, new MapSqlParameterSource("ids", thirdIds), rs -> {
            State s = state(rs);
            if (HrChange.PERSON.equals(s.kind())) {
                states.put(s.thirdId(), s);
            }
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
}
