package io.sophonsight.gateway.hr;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Photos from a file-path column ({@code hr.photo.source=path}): the planner reads the file named
 * by {@code photo_path} inside {@code hr.photo.base-dir} and nothing else. Built here with path settings around
 * the gateway's own state store, so no second application context is needed; the planner is driven step by step
 * as routes/hr-sync.camel.yaml drives it.
 */
class HrSyncPlannerPhotoPathTest extends HrSyncTestSupport {

    private static final long MAX_BYTES = 64 * 1024;

    @Autowired
    HrSyncStateStore store;

    private Path folder;
    private byte[] face;

    @BeforeEach
    void photoFolderWithOneFace() throws Exception {
        folder = Files.createDirectories(DATA_DIR.resolve("hr-photos-test").resolve("faces"));
        face = HrSampleData.face(4242, 96);
        Files.write(folder.resolve("p1.jpg"), face);
    }

    private static Map<String, Object> person(String id, String photoPath) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("name", "Path Person " + id);
        row.put("department_id", "D1");
        row.put("photo_path", photoPath);
        return row;
    }

    /** What the run route does: orgs, then every batch of people, then the deletes. */
    private HrSyncPlan plan(List<Map<String, Object>> people, List<HrChange.PersonUpsert> upserts,
                            List<HrSyncPlan.Rejection> rejections) {
        HrSyncPlanner planner = new HrSyncPlanner(store, guard, new HrPhotos(folder.toString(), MAX_BYTES), "path", 50, 100, 2);
        HrSyncRun run = new HrSyncRun(HrSyncMode.FULL, true, null, 60_000);
        HrSyncPlan plan = planner.planOrgs(List.of(new HashMap<>(Map.of("id", "D1", "name", "Dept"))), run);
        for (Iterator<HrPeopleBatch> batches = planner.peopleBatches(plan, people, run); batches.hasNext(); ) {
            HrPeopleBatch batch = batches.next();
            upserts.addAll(batch.personUpserts());
            rejections.addAll(batch.rejections());
        }
        return planner.planDeletes(plan, run);
    }

    @Test
    void photoIsReadFromTheFileThePathColumnNamesAndAMissingFileIsRejected() throws Exception {
        // Given HR rows naming the face, naming a missing file, and naming none
        List<Map<String, Object>> people = List.of(person("P1", "p1.jpg"), person("P2", "missing.jpg"), person("P3", null));

        // When a dry run plans it
        List<HrChange.PersonUpsert> upserts = new ArrayList<>();
        List<HrSyncPlan.Rejection> rejections = new ArrayList<>();
        HrSyncPlan plan = plan(people, upserts, rejections);

        // Then P1 will upload exactly the file (the plan holds its path and hash, the bytes are read at upload),
        // P3 goes without a photo, P2 is rejected with the reason
        assertThat(upserts).extracting(HrChange.PersonUpsert::getThirdId).containsExactly("P1", "P3");
        assertThat(upserts.get(0).isPhotoUploadNeeded()).isTrue();
        assertThat(upserts.get(0).getPhotoPath()).isEqualTo("p1.jpg");
        assertThat(upserts.get(0).getPhotoHash()).isEqualTo(HrSyncPlanner.sha256(face));
        assertThat(new HrPhotos(folder.toString(), MAX_BYTES).fileBytes(upserts.get(0).getPhotoPath())).isEqualTo(face);
        assertThat(upserts.get(1).isPhotoUploadNeeded()).isFalse();
        assertThat(upserts.get(1).getPhotoId()).isEmpty();
        assertThat(rejections).singleElement().satisfies(r -> {
            assertThat(r.thirdId()).isEqualTo("P2");
            assertThat(r.reason()).contains("missing.jpg").contains("does not exist");
        });
        assertThat(plan.getRejectedCount()).isEqualTo(1);
    }

    @Test
    void photoPathsLeavingThePhotoFolderOversizeFilesAndNonImagesAreRejectedAndNeverRead() throws Exception {
        // Given HR rows whose photo_path names the process environment, the gateway's own database by '..',
        // a symbolic link in the folder to a real JPEG outside it, a file over hr.photo.max-bytes, and a text
        // file named .jpg - next to one good face
        Path outside = Files.write(DATA_DIR.resolve("hr-photos-test").resolve("outside.jpg"), face);
        Path link = folder.resolve("link.jpg");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, outside);
        byte[] big = Arrays.copyOf(face, (int) MAX_BYTES + 1);
        Files.write(folder.resolve("big.jpg"), big);
        Files.writeString(folder.resolve("notes.jpg"), "name,salary\nAlice,100000\n", StandardCharsets.UTF_8);
        Path gatewayDb = DATA_DIR.resolve("db").resolve("gateway.mv.db");
        if (!Files.exists(gatewayDb)) { // the gateway's database is PostgreSQL (-Ppostgres): a JPEG stands in for it
            Files.write(Files.createDirectories(gatewayDb.getParent()).resolve("gateway.mv.db"), face);
        }
        List<Map<String, Object>> people = List.of(person("ENV", "/proc/self/environ"),
                person("DB", "../../db/gateway.mv.db"), person("LINK", "link.jpg"), person("BIG", "big.jpg"),
                person("TEXT", "notes.jpg"), person("OK", "p1.jpg"));

        // When the run is planned
        List<HrChange.PersonUpsert> upserts = new ArrayList<>();
        List<HrSyncPlan.Rejection> rejections = new ArrayList<>();
        plan(people, upserts, rejections);

        // Then only the good face is planned; each of the others is rejected with its reason
        assertThat(upserts).extracting(HrChange.PersonUpsert::getThirdId).containsExactly("OK");
        Map<String, String> reasons = new HashMap<>();
        rejections.forEach(r -> reasons.put(r.thirdId(), r.reason()));
        assertThat(reasons).containsOnlyKeys("ENV", "DB", "LINK", "BIG", "TEXT");
        assertThat(reasons.get("ENV")).contains("outside hr.photo.base-dir");
        assertThat(reasons.get("DB")).contains("'..'");
        assertThat(reasons.get("LINK")).contains("outside hr.photo.base-dir");
        assertThat(reasons.get("BIG")).contains("over hr.photo.max-bytes (65536)");
        assertThat(reasons.get("TEXT")).contains("neither a JPEG nor a PNG");
    }

    @Test
    void aFileSwappedForALinkOutsideAfterPlanningIsRefusedWhenReadForTheUpload() throws Exception {
        // Given a planned face whose file is then replaced by a symbolic link to a file outside the folder
        HrPhotos photos = new HrPhotos(folder.toString(), MAX_BYTES);
        Files.write(folder.resolve("swap.jpg"), face);
        assertThat(photos.fileHash("swap.jpg").hash()).isEqualTo(HrSyncPlanner.sha256(face));
        Path outside = Files.write(DATA_DIR.resolve("hr-photos-test").resolve("secret.jpg"), face);
        Files.delete(folder.resolve("swap.jpg"));
        Files.createSymbolicLink(folder.resolve("swap.jpg"), outside);

        // When the upload reads it, Then it is refused: the check is made again on every read
        assertThatThrownBy(() -> photos.fileBytes("swap.jpg")).isInstanceOf(HrPhotoException.class)
                .hasMessageContaining("outside hr.photo.base-dir");
        Files.delete(folder.resolve("swap.jpg"));
    }
}
