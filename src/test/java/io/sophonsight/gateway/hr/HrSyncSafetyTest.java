package io.sophonsight.gateway.hr;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.sophonsight.gateway.simulator.SimulatorFaults;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HR sync when things go wrong: refusals, an unavailable platform, mass deletes, dry runs.
 */
class HrSyncSafetyTest extends HrSyncTestSupport {

    @Test
    void businessErrorOnOnePersonIsRecordedAndDoesNotStopTheOthers() {
        // Given a platform that refuses one particular person
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.BUSINESS, PERSON_ADD, 0, -1, 0, 4242,
                "person refused by policy", 0, "thirdId", "E00007"));

        // When the sample is synced
        HrSyncRun run = run("FULL");

        // Then everyone else is on the platform, the refusal is counted and kept on the person's row
        assertThat(run.getStatus()).isEqualTo("COMPLETED");
        assertThat(run.getFailed()).isEqualTo(1);
        assertThat(run.getCreated()).isEqualTo(216);
        assertThat(simulator.state().people()).hasSize(199);
        assertThat(simulator.state().person("E00007")).isNull();
        assertThat(gateway.queryForObject("SELECT last_error FROM sync_state WHERE kind = 'PERSON' AND third_id = 'E00007'",
                String.class)).contains("4242").contains("person refused by policy");
        assertThat(gateway.queryForObject("SELECT synced_at FROM sync_state WHERE kind = 'PERSON' AND third_id = 'E00007'",
                Timestamp.class)).isNull();

        // When the platform accepts the person again, Then the next run retries just that person (its photo
        // already uploaded by the refused attempt is reused, not sent twice)
        simulator.faults().clear();
        long uploads = calls(UPLOAD);
        HrSyncRun retry = run("FULL");
        assertThat(retry.getCreated()).isEqualTo(1);
        assertThat(retry.getFailed()).isZero();
        assertThat(calls(UPLOAD)).isEqualTo(uploads);
        assertThat(gateway.queryForObject("SELECT last_error FROM sync_state WHERE kind = 'PERSON' AND third_id = 'E00007'",
                String.class)).isNull();
        assertPlatformEqualsHr();
    }

    @Test
    void platformDownInTheMiddleOfARunStopsItAndTheNextRunCompletesWithoutDuplicates() {
        // Given a platform that goes down (HTTP 503, beyond every retry) after 60 person edits
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, PERSON_ADD, 60, -1, 503, 0,
                null, 0, null, null));

        // When the sample is synced
        HrSyncRun broken = run("FULL");

        // Then the run stops early, and only what the platform confirmed is recorded as synced
        assertThat(broken.getStatus()).isEqualTo("ABORTED");
        assertThat(broken.getMessage()).contains("unavailable");
        int onPlatform = simulator.state().people().size();
        assertThat(onPlatform).isBetween(60, 199);
        assertThat(gateway.queryForObject("SELECT COUNT(*) FROM sync_state WHERE kind = 'PERSON' AND synced_at IS NOT NULL",
                Integer.class)).isEqualTo(onPlatform);
        assertThat(gateway.queryForObject("SELECT status FROM sync_run WHERE id = ?", String.class, broken.getId()))
                .isEqualTo("ABORTED");

        // When the platform is back and the next run goes
        simulator.faults().clear();
        long editsBefore = calls(PERSON_ADD);
        HrSyncRun next = run("FULL");

        // Then it completes: the rest is created, nobody already on the platform is sent again,
        // and no photo is uploaded twice
        assertThat(next.getStatus()).isEqualTo("COMPLETED");
        assertThat(next.getCreated()).isEqualTo(200 - onPlatform);
        assertThat(calls(PERSON_ADD) - editsBefore).isEqualTo(200 - onPlatform);
        assertThat(calls(UPLOAD)).isEqualTo(175);
        assertThat(simulator.state().photoCount()).isEqualTo(175);
        assertPlatformEqualsHr();
    }

    @Test
    void hundredTwentyDeletesGoOutInThreeCallsOnceConfirmed() {
        // Given 120 extra people in HR, synced to the platform
        List<Object[]> extra = new ArrayList<>();
        for (int i = 1; i <= 120; i++) {
            extra.add(new Object[] {String.format("T%05d", i), "Temp Worker " + i, "D121", later()});
        }
        hr.batchUpdate("INSERT INTO employee (id, name, department_id, updated_at) VALUES (?, ?, ?, ?)", extra);
        run("FULL");
        assertThat(simulator.state().people()).hasSize(320);

        // When HR deletes the 120 (37% of the people the gateway knows, over the 20% threshold)
        hr.update("DELETE FROM employee WHERE id LIKE 'T%'");
        HrSyncRun held = run("FULL");

        // Then the deletes are held: nothing deleted, the run says how many wait for a confirmation
        assertThat(held.getHeld()).isEqualTo(120);
        assertThat(held.getDeleted()).isZero();
        assertThat(calls(PERSON_DELETE)).isZero();
        assertThat(guard.getHeldPersonDeletes()).isEqualTo(120);
        assertThat(gateway.queryForObject("SELECT held FROM sync_run WHERE id = ?", Integer.class, held.getId())).isEqualTo(120);

        // When an operator confirms and the next full run goes
        guard.confirmHeldDeletes();
        HrSyncRun confirmed = run("FULL");

        // Then the 120 deletes went out in 3 calls of at most 50 ids
        assertThat(confirmed.getDeleted()).isEqualTo(120);
        assertThat(calls(PERSON_DELETE)).isEqualTo(3);
        assertThat(guard.getHeldPersonDeletes()).isZero();
        assertPlatformEqualsHr();
    }

    @Test
    void hrViewReturningNothingDoesNotWipeThePlatformUntilConfirmedOverJmx() throws Exception {
        // Given the sample on the platform
        run("FULL");

        // When the HR view suddenly returns no people at all
        hr.update("DELETE FROM employee");
        HrSyncRun held = run("FULL");

        // Then the 200 deletes are held, the platform keeps everyone, and JMX shows the alert
        assertThat(held.getHeld()).isEqualTo(200);
        assertThat(simulator.state().people()).hasSize(200);
        // (the guard is in JMX as the gateway runs it: spring.jmx.enabled=true, also in the test context)
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName guardName = new ObjectName("io.sophonsight.gateway:type=HrSync,name=DeletionGuard");
        assertThat(jmx.getAttribute(guardName, "HeldPersonDeletes")).isEqualTo(200);

        // And a run that still sees the same gap keeps holding
        assertThat(run("FULL").getHeld()).isEqualTo(200);
        assertThat(calls(PERSON_DELETE)).isZero();

        // When an operator confirms through the JMX operation, Then the next full run performs the deletes
        Object answer = jmx.invoke(guardName, "confirmHeldDeletes", new Object[0], new String[0]);
        assertThat(answer.toString()).contains("Confirmed 200");
        HrSyncRun confirmed = run("FULL");
        assertThat(confirmed.getDeleted()).isEqualTo(200);
        assertThat(calls(PERSON_DELETE)).isEqualTo(4);
        assertThat(simulator.state().people()).isEmpty();
    }

    @Test
    void dryRunComputesAndReportsThePlanButSendsNothing() {
        // Given the sample HR and an empty platform
        // When a dry run goes
        HrSyncRun dry = dryRun("FULL");

        // Then it reports the plan, records the run, and neither the platform nor sync_state changed
        assertThat(dry.getStatus()).isEqualTo("DRY_RUN");
        assertThat(dry.getMessage()).contains("17 create").contains("200 create").contains("175 photo uploads");
        assertThat(simulator.state().snapshot().get("calls")).isEqualTo(java.util.Map.of());
        assertThat(simulator.state().orgs()).isEmpty();
        assertThat(gateway.queryForObject("SELECT COUNT(*) FROM sync_state", Integer.class)).isZero();
        assertThat(gateway.queryForObject("SELECT status FROM sync_run WHERE id = ?", String.class, dry.getId()))
                .isEqualTo("DRY_RUN");

        // And a dry run over a synced platform with a mass delete holds nothing for real
        run("FULL");
        hr.update("DELETE FROM employee");
        HrSyncRun dryDelete = dryRun("FULL");
        assertThat(dryDelete.getMessage()).contains("200 deletes held");
        assertThat(calls(PERSON_DELETE)).isZero();
        assertThat(guard.getHeldPersonDeletes()).isZero();
    }

    @Test
    void unreadableHrFailsTheRunWithoutDeletingAnything() {
        // Given the sample on the platform
        run("FULL");
        // When the HR query fails (here: the employee table is gone for a moment)
        hr.update("ALTER TABLE employee RENAME TO employee_offline");
        HrSyncRun failed;
        try {
            failed = run("FULL");
        } finally {
            hr.update("ALTER TABLE employee_offline RENAME TO employee");
        }

        // Then the run fails with the reason and nothing is deleted: an error is never read as "HR is empty"
        assertThat(failed.getStatus()).isEqualTo("FAILED");
        assertThat(failed.getMessage()).containsIgnoringCase("employee");
        assertThat(calls(PERSON_DELETE)).isZero();
        assertThat(simulator.state().people()).hasSize(200);
    }

    @Test
    void refusedRetryWithARememberedUploadUploadsAfreshNextTime() {
        // Given a person refused after their photo upload: the upload is remembered
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.BUSINESS, PERSON_ADD, 0, 2, 0, 4243,
                "refused twice", 0, "thirdId", "E00009"));
        run("FULL");
        long uploads = calls(UPLOAD);

        // When the retry reusing that upload is refused as well, and a third run goes
        assertThat(run("FULL").getFailed()).isEqualTo(1);
        assertThat(calls(UPLOAD)).isEqualTo(uploads);
        HrSyncRun third = run("FULL");

        // Then the third attempt uploaded the photo again and went through
        assertThat(third.getCreated()).isEqualTo(1);
        assertThat(calls(UPLOAD)).isEqualTo(uploads + 1);
        assertPlatformEqualsHr();
    }

    @Test
    void photoThatIsNotAnImageOrOverTheSizeCapIsRejectedWithADeadLetterAndNeverUploaded() {
        // Given HR rows whose photo column holds a text file, and a JPEG one byte over hr.photo.max-bytes (2 MB)
        byte[] text = "name,salary\nAlice,100000\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] big = java.util.Arrays.copyOf(HrSampleData.face(7, 96), 2 * 1024 * 1024 + 1);
        hr.update("INSERT INTO employee (id, name, department_id, photo, updated_at) VALUES ('E90010', 'Text Photo', 'D111', ?, ?)",
                text, later());
        hr.update("INSERT INTO employee (id, name, department_id, photo, updated_at) VALUES ('E90011', 'Big Photo', 'D111', ?, ?)",
                big, later());

        // When the sample is synced
        HrSyncRun run = run("FULL");

        // Then both are rejected with their reason, one dead letter each, and nothing of them reached the platform
        assertThat(run.getStatus()).isEqualTo("COMPLETED");
        assertThat(run.getRejected()).isEqualTo(2);
        assertThat(run.getCreated()).isEqualTo(217);
        assertThat(calls(UPLOAD)).isEqualTo(175);
        assertThat(simulator.state().person("E90010")).isNull();
        assertThat(simulator.state().person("E90011")).isNull();
        assertThat(gateway.queryForObject("SELECT reason FROM dead_letter WHERE flow = 'hr-sync-run' AND payload_ref = 'PERSON:E90010'",
                String.class)).contains("neither a JPEG nor a PNG");
        assertThat(gateway.queryForObject("SELECT reason FROM dead_letter WHERE flow = 'hr-sync-run' AND payload_ref = 'PERSON:E90011'",
                String.class)).contains("over hr.photo.max-bytes (2097152)");
    }
}
