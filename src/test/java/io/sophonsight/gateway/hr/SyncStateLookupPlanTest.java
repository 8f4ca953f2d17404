package io.sophonsight.gateway.hr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The HR sync's lookups of a batch of ids in {@code sync_state} read the rows of those ids, not every row of the
 * kind: H2 looks an IN list up in an index only when the list's column leads the index, and chose the primary
 * key (kind, third_id) for {@code kind = ?} instead, so each batch of a no-change run of 100,000 people compared
 * every row with every id (123 s instead of ~4 s). Checked with H2's {@code EXPLAIN ANALYZE} row counts (the
 * PostgreSQL pass skips the plan checks: its planner picks plans by table statistics).
 */
class SyncStateLookupPlanTest extends HrSyncTestSupport {

    private static final int ROWS = 2_000;
    private static final int BATCH = 50;
    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    @Autowired
    HrSyncStateStore store;

    private final String prefix = "plan-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @BeforeEach
    void syncStateWithTwoThousandPeopleAndOneOrgSharingAPersonsId() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(new Object[] {HrChange.PERSON, prefix + i, "hash-" + i});
        }
        rows.add(new Object[] {HrChange.ORG, prefix + 7, "org-hash"});
        gateway.batchUpdate("INSERT INTO sync_state (kind, third_id, content_hash, synced_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)",
                rows);
    }

    @AfterEach
    void forgetTheTestRows() {
        gateway.update("DELETE FROM sync_state WHERE third_id LIKE ?", prefix + "%");
    }

    @Test
    void aBatchLookupReturnsThePeopleOfTheBatchAndNotAnOrgWithTheSameId() {
        // When the planner looks up a batch of ten ids, one of them also an org's
        Map<String, HrSyncStateStore.State> states = store.loadPeople(ids(0, 10));

        // Then it gets the ten people, each with its own row
        assertThat(states).hasSize(10);
        assertThat(states.get(prefix + 7).kind()).isEqualTo(HrChange.PERSON);
        assertThat(states.get(prefix + 7).contentHash()).isEqualTo("hash-7");
    }

    @Test
    void aBatchLookupReadsTheRowsOfItsIdsOnlyNotEveryPerson() {
        assumeThat(onPostgres()).as("H2's EXPLAIN ANALYZE").isFalse();
        // When a batch of 50 ids is looked up as the planner does it
        String plan = explain(HrSyncStateStore.ROWS_BY_ID, new MapSqlParameterSource("ids", ids(100, BATCH)));

        // Then H2 reads about 50 rows through the third_id index, not the 2,000+ people of the table
        assertThat(plan).containsIgnoringCase("sync_state_third_id");
        assertThat(scanCount(plan)).as(plan).isLessThanOrEqualTo(BATCH + 1);
    }

    @Test
    void forgettingABatchOfDeletedIdsReadsTheRowsOfItsIdsOnly() throws IOException {
        assumeThat(onPostgres()).as("H2's EXPLAIN ANALYZE").isFalse();
        // Given forget.sql as hr-sync-forget-deleted runs it (camel-sql's :#in: list as a named list)
        String forget = classpathSql("sql/hr-sync/forget.sql").replace(":#in:HrThirdIds", ":ids").replace(":#HrKind", ":kind");

        // When it forgets a batch of 50 deleted people (EXPLAIN ANALYZE runs the DELETE)
        String plan = explain(forget, new MapSqlParameterSource("ids", ids(200, BATCH)).addValue("kind", HrChange.PERSON));

        // Then the 50 rows are gone, found through the third_id index, and nothing else was read or removed
        assertThat(plan).containsIgnoringCase("sync_state_third_id");
        assertThat(scanCount(plan)).as(plan).isLessThanOrEqualTo(BATCH + 1);
        assertThat(gateway.queryForObject("SELECT COUNT(*) FROM sync_state WHERE third_id LIKE ?", Integer.class, prefix + "%"))
                .isEqualTo(ROWS + 1 - BATCH);
    }

    private List<String> ids(int from, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private String explain(String sql, MapSqlParameterSource params) {
        return new NamedParameterJdbcTemplate(gateway).queryForList("EXPLAIN ANALYZE " + sql, params, String.class)
                .stream().collect(Collectors.joining("\n"));
    }

    private static int scanCount(String plan) {
        Matcher count = SCAN_COUNT.matcher(plan);
        assertThat(count.find()).as("scanCount in " + plan).isTrue();
        return Integer.parseInt(count.group(1));
    }

    private static String classpathSql(String path) throws IOException {
        try (InputStream in = SyncStateLookupPlanTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.trim().startsWith("--")).collect(Collectors.joining("\n"));
        }
    }
}
