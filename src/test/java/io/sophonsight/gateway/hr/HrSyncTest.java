package io.sophonsight.gateway.hr;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HR -> SophonSight sync against the built-in simulator: the delta rules. Each test starts from
 * the sample HR synced to an empty platform and changes HR with plain SQL, as an HR system would.
 */
class HrSyncTest extends HrSyncTestSupport {

    @Test
    void initialSyncOfTheSampleMakesThePlatformEqualToHr() {
        // Given the sample HR (17 orgs, 200 people, 175 with a photo) and an empty platform
        // When a full run goes
        HrSyncRun run = run("FULL");

        // Then every org and person is on the platform, with HR's photo bytes
        assertThat(run.getStatus()).isEqualTo("COMPLETED");
        assertThat(run.getCreated()).isEqualTo(17 + 200);
        assertThat(run.getFailed()).isZero();
        assertThat(run.getRejected()).isZero();
        assertPlatformEqualsHr();
        assertThat(calls(UPLOAD)).isEqualTo(175);

        // And a second run finds nothing to do and calls nothing
        HrSyncRun again = run("FULL");
        assertThat(again.getUnchanged()).isEqualTo(217);
        assertThat(again.getCreated() + again.getUpdated() + again.getDeleted()).isZero();
        assertThat(calls(PERSON_ADD)).isEqualTo(200);
        assertThat(calls(UPLOAD)).isEqualTo(175);
    }

    @Test
    void renameAndMoveResendTheCurrentPhotoSoTheFaceIsKept() {
        // Given the sample on the platform
        run("FULL");
        String photoBefore = simulator.state().person("E00001").facePicture();
        assertThat(photoBefore).isNotNull();

        // When HR renames one person and moves another to a different department
        hr.update("UPDATE employee SET name = '王小明', updated_at = ? WHERE id = 'E00001'", later());
        hr.update("UPDATE employee SET department_id = 'D142', updated_at = ? WHERE id = 'E00002'", later());
        HrSyncRun run = run("FULL");

        // Then both are edited, no photo is uploaded again, and both keep their faces
        assertThat(run.getUpdated()).isEqualTo(2);
        assertThat(calls(UPLOAD)).isEqualTo(175);
        assertThat(simulator.state().person("E00001").name()).isEqualTo("王小明");
        assertThat(simulator.state().person("E00001").facePicture()).isEqualTo(photoBefore);
        assertThat(simulator.state().person("E00002").thirdDeptId()).isEqualTo("D142");
        assertPlatformEqualsHr();
    }

    @Test
    void changedPhotoIsUploadedOnceBeforeTheEditThatReferencesIt() {
        // Given the sample on the platform
        run("FULL");
        String photoBefore = simulator.state().person("E00003").facePicture();

        // When HR stores a new photo for one person
        byte[] newFace = HrSampleData.face(999_003, 96);
        hr.update("UPDATE employee SET photo = ?, updated_at = ? WHERE id = 'E00003'", newFace, later());
        HrSyncRun run = run("FULL");

        // Then exactly one upload and one edit went out, and the platform shows the new face
        assertThat(run.getUpdated()).isEqualTo(1);
        assertThat(calls(UPLOAD)).isEqualTo(176);
        assertThat(calls(PERSON_ADD)).isEqualTo(201);
        String photoAfter = simulator.state().person("E00003").facePicture();
        assertThat(photoAfter).isNotEqualTo(photoBefore);
        assertThat(simulator.state().photo(photoAfter)).isEqualTo(newFace);
    }

    @Test
    void photoRemovedInHrIsRemovedOnThePlatform() {
        // Given the sample on the platform, person E00004 with a face
        run("FULL");
        assertThat(simulator.state().person("E00004").facePicture()).isNotNull();

        // When HR removes the photo
        hr.update("UPDATE employee SET photo = NULL, updated_at = ? WHERE id = 'E00004'", later());
        run("FULL");

        // Then the edit sent an empty facePicture on purpose: the platform dropped the face
        assertThat(simulator.state().person("E00004").facePicture()).isNull();
        assertPlatformEqualsHr();
    }

    @Test
    void personDeleteAndOrgDeleteWithItsPeopleRemoveThemFromThePlatform() {
        // Given the sample on the platform
        run("FULL");
        // When HR deletes one person, and one department together with its people
        List<String> inFinance = hr.queryForList("SELECT id FROM employee WHERE department_id = 'D142'", String.class);
        assertThat(inFinance).isNotEmpty();
        hr.update("DELETE FROM employee WHERE id = 'E00005' OR department_id = 'D142'");
        hr.update("DELETE FROM department WHERE id = 'D142'");
        HrSyncRun run = run("FULL");

        // Then the people were deleted before their org, so the platform accepted every delete
        assertThat(run.getFailed()).isZero();
        assertThat(run.getDeleted()).isEqualTo(inFinance.size() + (inFinance.contains("E00005") ? 0 : 1) + 1);
        assertThat(simulator.state().org("D142")).isNull();
        assertThat(simulator.state().person("E00005")).isNull();
        assertPlatformEqualsHr();
        assertThat(gateway.queryForObject("SELECT COUNT(*) FROM sync_state WHERE third_id = 'D142'", Integer.class)).isZero();
    }

    @Test
    void personMovedOutOfADeletedOrgIsMovedBeforeTheOrgIsDeleted() {
        // Given the sample on the platform
        run("FULL");
        // When HR moves everyone out of a department and deletes it in the same change
        hr.update("UPDATE employee SET department_id = 'D141', updated_at = ? WHERE department_id = 'D143'", later());
        hr.update("DELETE FROM department WHERE id = 'D143'");
        HrSyncRun run = run("FULL");

        // Then the moves went first and the org delete was accepted
        assertThat(run.getFailed()).isZero();
        assertThat(simulator.state().org("D143")).isNull();
        assertPlatformEqualsHr();
    }

    @Test
    void newChildOrgUnderANewParentGoesOutParentFirstInOneRun() {
        // Given the sample on the platform
        run("FULL");
        // When HR adds (child row first) a department under a new division, and a person in it
        hr.update("INSERT INTO department (id, name, parent_id, updated_at) VALUES ('D151', '新项目组', 'D150', ?)", later());
        hr.update("INSERT INTO department (id, name, parent_id, updated_at) VALUES ('D150', 'New Ventures', 'D100', ?)", later());
        hr.update("INSERT INTO employee (id, name, department_id, updated_at) VALUES ('E90001', 'Nina Park', 'D151', ?)", later());
        HrSyncRun run = run("FULL");

        // Then parent, child and person were all accepted
        assertThat(run.getCreated()).isEqualTo(3);
        assertThat(run.getFailed()).isZero();
        assertThat(simulator.state().org("D151").thirdParentId()).isEqualTo("D150");
        assertThat(simulator.state().person("E90001").thirdDeptId()).isEqualTo("D151");
        assertPlatformEqualsHr();
    }

    @Test
    void invalidHrRowsAreRejectedLocallyWithAReasonAndTheRestContinues() {
        // Given the sample on the platform
        run("FULL");
        // When HR holds an org with a missing parent (and a child under it), a parent cycle,
        // a person with a 101-character id, one without a name, one without a department, and a valid rename
        hr.update("INSERT INTO department (id, name, parent_id, updated_at) VALUES ('D160', 'Orphan', 'NO-SUCH', ?)", later());
        hr.update("INSERT INTO department (id, name, parent_id, updated_at) VALUES ('D161', 'Orphan child', 'D160', ?)", later());
        hr.update("INSERT INTO department (id, name, parent_id, updated_at) VALUES ('D170', 'Loop A', 'D171', ?)", later());
        hr.update("INSERT INTO department (id, name, parent_id, updated_at) VALUES ('D171', 'Loop B', 'D170', ?)", later());
        hr.update("INSERT INTO employee (id, name, department_id, updated_at) VALUES ('E90002', 'In orphan', 'D161', ?)", later());
        hr.update("INSERT INTO employee (id, name, department_id, updated_at) VALUES (?, 'Long id', 'D111', ?)", "X".repeat(101), later());
        hr.update("INSERT INTO employee (id, name, department_id, updated_at) VALUES ('E90003', '', 'D111', ?)", later());
        hr.update("INSERT INTO employee (id, name, department_id, updated_at) VALUES ('E90004', 'No dept', NULL, ?)", later());
        hr.update("UPDATE employee SET name = 'Renamed Person', updated_at = ? WHERE id = 'E00006'", later());
        HrSyncRun run = run("FULL");

        // Then 4 orgs and 4 people are rejected, nothing of them reached the platform, the rename did
        assertThat(run.getStatus()).isEqualTo("COMPLETED");
        assertThat(run.getRejected()).isEqualTo(8);
        assertThat(run.getUpdated()).isEqualTo(1);
        assertThat(simulator.state().person("E00006").name()).isEqualTo("Renamed Person");
        assertThat(simulator.state().orgs()).extracting(o -> o.thirdId()).doesNotContain("D160", "D161", "D170", "D171");
        assertThat(simulator.state().people()).extracting(p -> p.thirdId()).doesNotContain("E90002", "E90003", "E90004", "X".repeat(101));
        assertThat(calls(ORG_ADD)).isEqualTo(17);
        // And each rejection is in the dead-letter table with its reason, once even after another run
        run("FULL");
        Map<String, String> reasons = new java.util.HashMap<>();
        gateway.query("SELECT payload_ref, reason FROM dead_letter WHERE flow = 'hr-sync-run'",
                rs -> { reasons.put(rs.getString(1), rs.getString(2)); });
        assertThat(gateway.queryForObject("SELECT COUNT(*) FROM dead_letter WHERE flow = 'hr-sync-run'", Integer.class)).isEqualTo(8);
        assertThat(reasons.get("ORG:D160")).contains("'NO-SUCH' does not exist");
        assertThat(reasons.get("ORG:D161")).contains("'D160' is rejected");
        assertThat(reasons.get("ORG:D170")).contains("cycle");
        assertThat(reasons.get("PERSON:E90002")).contains("'D161' is rejected");
        assertThat(reasons.get("PERSON:" + "X".repeat(101))).contains("101 characters");
        assertThat(reasons.get("PERSON:E90003")).contains("no name");
        assertThat(reasons.get("PERSON:E90004")).contains("no department");
    }

    @Test
    void incrementalRunSendsWhatChangedSinceTheWatermarkAndNeverDeletes() {
        // Given the sample on the platform after a full run, and one incremental run that moved the watermark
        run("FULL");
        hr.update("UPDATE employee SET name = 'First Rename', updated_at = ? WHERE id = 'E00010'", later());
        assertThat(run("INCREMENTAL").getUpdated()).isEqualTo(1);

        // When HR renames another person (updated now) and deletes a third
        hr.update("UPDATE employee SET name = 'Incremental Rename', updated_at = ? WHERE id = 'E00012'", later());
        hr.update("DELETE FROM employee WHERE id = 'E00011'");
        HrSyncRun incremental = run("INCREMENTAL");

        // Then the incremental run read only the people changed since the watermark (and its overlap window),
        // sent the rename, and deleted nothing
        assertThat(incremental.getMode()).isEqualTo(HrSyncMode.INCREMENTAL);
        assertThat(incremental.getUpdated()).isEqualTo(1);
        assertThat(incremental.getDeleted()).isZero();
        assertThat(incremental.getUnchanged()).isEqualTo(17 + 1); // the orgs, always read in full, and E00010
        assertThat(simulator.state().person("E00012").name()).isEqualTo("Incremental Rename");
        assertThat(simulator.state().person("E00011")).isNotNull();

        // And the next full reconciliation finds the delete
        HrSyncRun full = run("FULL");
        assertThat(full.getDeleted()).isEqualTo(1);
        assertPlatformEqualsHr();
    }
}
