package io.sophonsight.gateway.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sophonsight.gateway.GatewayTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The retention purge (routes/data-retention.camel.yaml) deletes what is older than its period and nothing else:
 * rows of this test are made old by back-dating their time columns, files by back-dating their modification time.
 * Every row and file is found by an id this test generated, so other classes' data never matters.
 */
class DataRetentionTest extends GatewayTestSupport {

    private static final Instant NOW = Instant.now();

    @Autowired
    JdbcTemplate jdbc;

    @Value("${gateway.data-dir}/${push.fanout.photo-folder}")
    Path photoFolder;

    @Value("${photos.cache-dir}")
    Path photoCache;

    @Test
    void oldDeadLettersAndDeviceHistoryAreDeletedInBatchesAndRecentOnesKept() {
        // Given 2,100 dead letters of 100 days ago (more than two batches of 1,000) and one of yesterday
        String flow = "retention-test-" + UUID.randomUUID();
        List<Object[]> old = new ArrayList<>();
        for (int i = 0; i < 2_100; i++) {
            old.add(new Object[] {flow, "old " + i, daysAgo(100)});
        }
        jdbc.batchUpdate("INSERT INTO dead_letter (flow, reason, created_at) VALUES (?, ?, ?)", old);
        jdbc.update("INSERT INTO dead_letter (flow, reason, created_at) VALUES (?, 'recent', ?)", flow, daysAgo(1));
        // and device status changes of 100 days ago and of yesterday
        String box = "retention-box-" + UUID.randomUUID();
        jdbc.update("INSERT INTO device_status_history (box_id, camera_id, scope, to_status, reported_at, received_at)"
                + " VALUES (?, '', 'box', 'online', ?, ?)", box, daysAgo(100), daysAgo(100));
        jdbc.update("INSERT INTO device_status_history (box_id, camera_id, scope, to_status, reported_at, received_at)"
                + " VALUES (?, '', 'box', 'offline', ?, ?)", box, daysAgo(1), daysAgo(1));

        // When the purge runs
        Map<?, ?> deleted = producer.requestBody("direct:data-retention", (Object) null, Map.class);

        // Then only yesterday's rows are left, and the answer counts at least this test's old rows
        assertThat(jdbc.queryForList("SELECT reason FROM dead_letter WHERE flow = ?", String.class, flow))
                .containsExactly("recent");
        assertThat(jdbc.queryForList("SELECT to_status FROM device_status_history WHERE box_id = ?", String.class, box))
                .containsExactly("offline");
        assertThat(((Number) deleted.get("deadLetters")).intValue()).isGreaterThanOrEqualTo(2_100);
        assertThat(((Number) deleted.get("deviceStatusChanges")).intValue()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void oldAccessEventsGoWithTheirRecordsAndImagesButAPendingOneStays() {
        // Given three events received 100 days ago: one fanned out (with its record and a staged image row),
        // one dead-lettered, one still PENDING; and one fanned out yesterday
        long done = event("DONE", daysAgo(100), true);
        long dead = event("DEAD", daysAgo(100), false);
        long pending = event("PENDING", daysAgo(100), false);
        long recent = event("DONE", daysAgo(1), true);

        // When the purge runs
        producer.requestBody("direct:data-retention", (Object) null);

        // Then the old fanned-out and dead events are gone with their record and images, the others stay
        assertThat(jdbc.queryForList("SELECT id FROM access_event WHERE id IN (?, ?, ?, ?)", Long.class,
                done, dead, pending, recent)).containsExactlyInAnyOrder(pending, recent);
        assertThat(jdbc.queryForList("SELECT event_id FROM access_record WHERE event_id IN (?, ?)", Long.class,
                done, recent)).containsExactly(recent);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM access_event_image WHERE dedupe_key IN (?, ?, ?)",
                Integer.class, "rt-" + done, "rt-" + dead, "rt-" + pending)).isEqualTo(1); // the pending one's
    }

    @Test
    void photoFilesOfOldPassesAreDeletedAndTheirRecordsNoLongerNameThem() throws IOException {
        // Given a photo file written 40 days ago and one written today, each named by its access record
        long oldEvent = event("DONE", daysAgo(40), false);
        long newEvent = event("DONE", daysAgo(0), false);
        String oldPhoto = "2026/01/01/retention-" + oldEvent + "-scene.jpg";
        String newPhoto = "2026/01/01/retention-" + newEvent + "-scene.jpg";
        Path oldFile = photo(photoFolder.resolve(oldPhoto), 40);
        Path newFile = photo(photoFolder.resolve(newPhoto), 0);
        jdbc.update("UPDATE access_record SET scene_photo_file = ?, recorded_at = ? WHERE event_id = ?", oldPhoto,
                daysAgo(40), oldEvent);
        jdbc.update("UPDATE access_record SET scene_photo_file = ? WHERE event_id = ?", newPhoto, newEvent);

        // When the purge runs (images are kept 30 days, access events 90)
        producer.requestBody("direct:data-retention", (Object) null);

        // Then the old file is gone and its record no longer names it; the event itself is still there
        assertThat(oldFile).doesNotExist();
        assertThat(newFile).exists();
        assertThat(jdbc.queryForObject("SELECT scene_photo_file FROM access_record WHERE event_id = ?", String.class,
                oldEvent)).isNull();
        assertThat(jdbc.queryForObject("SELECT scene_photo_file FROM access_record WHERE event_id = ?", String.class,
                newEvent)).isEqualTo(newPhoto);
    }

    @Test
    void thePhotoCacheIsEmptiedOfOldPhotosAndALinkOutOfTheFolderIsNeverFollowed() throws IOException {
        // Given a cached photo of 10 days ago, one of today, and a link in the cache to an old file outside it
        String id = UUID.randomUUID().toString();
        Path oldCached = photo(photoCache.resolve("retention-old-" + id + ".jpg"), 10);
        Path newCached = photo(photoCache.resolve("retention-new-" + id + ".jpg"), 0);
        Path outside = photo(freshFolder("retention-outside").resolve("keep-me.jpg"), 100);
        Path outsideFolder = freshFolder("retention-outside-folder");
        photo(outsideFolder.resolve("keep-me-too.jpg"), 100);
        Path link = photoCache.resolve("retention-link-" + id + ".jpg");
        Path folderLink = photoCache.resolve("retention-folder-link-" + id);
        boolean linked = tryLink(link, outside) && tryLink(folderLink, outsideFolder);

        // When the purge runs (the cache keeps photos 7 days)
        producer.requestBody("direct:data-retention", (Object) null);

        // Then only the old cached photo is gone, and nothing outside the cache folder was touched
        assertThat(oldCached).doesNotExist();
        assertThat(newCached).exists();
        assertThat(outside).exists();
        assertThat(outsideFolder.resolve("keep-me-too.jpg")).exists();
        if (linked) {
            assertThat(Files.isSymbolicLink(folderLink)).isTrue();
        }
    }

    /** An access event of this test (dedupe key rt-<id>), with a record and, if asked, a staged image row. */
    private long event(String status, Timestamp receivedAt, boolean stagedImage) {
        String key = "rt-" + UUID.randomUUID();
        // a PENDING event of this test is due far in the future, so the running fan-out never takes it
        jdbc.update("INSERT INTO access_event (dedupe_key, source_form, person_type, pass_time, event_json, fanout_status,"
                + " received_at, next_attempt_at) VALUES (?, 'P', 'employee', ?, '{}', ?, ?, ?)", key, receivedAt, status,
                receivedAt, daysAgo(-3650));
        long id = jdbc.queryForObject("SELECT id FROM access_event WHERE dedupe_key = ?", Long.class, key);
        jdbc.update("UPDATE access_event SET dedupe_key = ? WHERE id = ?", "rt-" + id, id);
        if (!"PENDING".equals(status) || stagedImage) {
            jdbc.update("INSERT INTO access_record (event_id, source_form, person_type, pass_time, box_id, recorded_at)"
                    + " VALUES (?, 'P', 'employee', ?, 'retention-box', ?)", id, receivedAt, receivedAt);
        }
        if (stagedImage || "PENDING".equals(status)) {
            jdbc.update("INSERT INTO access_event_image (dedupe_key, images_json, staged_at) VALUES (?, '{}', ?)",
                    "rt-" + id, receivedAt);
        }
        return id;
    }

    private static Timestamp daysAgo(int days) {
        return Timestamp.from(NOW.minus(Duration.ofDays(days)));
    }

    private static Path photo(Path file, int ageDays) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofDays(ageDays))));
        return file;
    }

    private static boolean tryLink(Path link, Path target) {
        try {
            Files.createSymbolicLink(link, target);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false; // a file system without links: nothing to escape through
        }
    }
}
