package io.sophonsight.gateway.hr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Photos from a file-path column ({@code hr.photo.source=path}): the planner reads the file named
 * by {@code photo_path} under {@code hr.photo.base-dir}. Built here with path settings around the
 * gateway's own state store, so no second application context is needed.
 */
class HrSyncPlannerPhotoPathTest extends HrSyncTestSupport {

    @Autowired
    HrSyncStateStore store;

    private static Map<String, Object> person(String id, String photoPath) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("name", "Path Person " + id);
        row.put("department_id", "D1");
        row.put("photo_path", photoPath);
        return row;
    }

    @Test
    void photoIsReadFromTheFileThePathColumnNamesAndAMissingFileIsRejected() throws Exception {
        // Given a photo folder with one face, and HR rows naming it, naming a missing file, and naming none
        Path folder = Files.createDirectories(DATA_DIR.resolve("hr-photos-test"));
        byte[] face = HrSampleData.face(4242, 96);
        Files.write(folder.resolve("p1.jpg"), face);
        HrSyncPlanner planner = new HrSyncPlanner(store, guard, "path", folder.toString(), 50, 100);
        List<Map<String, Object>> orgs = List.of(new HashMap<>(Map.of("id", "D1", "name", "Dept")));
        List<Map<String, Object>> people = List.of(person("P1", "p1.jpg"), person("P2", "missing.jpg"), person("P3", null));

        // When a dry run plans it
        HrSyncRun run = new HrSyncRun(HrSyncMode.FULL, true, null, 60_000);
        HrSyncPlan plan = planner.plan(orgs, people, run);

        // Then P1 uploads exactly the file's bytes, P3 goes without a photo, P2 is rejected with the reason
        assertThat(plan.getPersonUpserts()).extracting(HrChange.PersonUpsert::getThirdId).containsExactly("P1", "P3");
        assertThat(plan.getPersonUpserts().get(0).getPhotoBytes()).isEqualTo(face);
        assertThat(plan.getPersonUpserts().get(1).isPhotoUploadNeeded()).isFalse();
        assertThat(plan.getPersonUpserts().get(1).getPhotoId()).isEmpty();
        assertThat(plan.getRejections()).singleElement().satisfies(r -> {
            assertThat(r.thirdId()).isEqualTo("P2");
            assertThat(r.reason()).contains("photo cannot be read").contains("missing.jpg");
        });
    }
}
