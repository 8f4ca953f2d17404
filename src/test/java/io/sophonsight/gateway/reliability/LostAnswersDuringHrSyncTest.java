package io.sophonsight.gateway.reliability;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sophonsight.gateway.hr.HrSyncRun;
import io.sophonsight.gateway.hr.HrSyncTestSupport;
import io.sophonsight.gateway.simulator.SimulatorFaults.Fault;
import io.sophonsight.gateway.simulator.SimulatorFaults.Mode;
import io.sophonsight.gateway.simulator.SimulatorState;
import io.sophonsight.gateway.sophonsight.SophonSightSigner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform applies HR sync calls but their answers are lost (the connection drops after the call took
 * effect, or the answer comes after the gateway's response timeout). The gateway sends the call again: the
 * platform must still hold each org and person once, deletes already done must count as done, and each lost
 * photo-upload answer may leave one orphan photo (no person references it; the platform has no lookup to find
 * it), never more, and each is counted. Counts are read from the simulator, not from the gateway's own figures.
 */
class LostAnswersDuringHrSyncTest extends HrSyncTestSupport {

    private static final long LATE_MS = PLATFORM_RESPONSE_TIMEOUT_MS + 1_000;

    @Autowired
    private MeterRegistry meters;

    @Test
    void lostAnswersDuringAFullSyncCreateNoOrgOrPersonTwiceAndEachLostUploadLeavesOneCountedOrphan() {
        // Given the sample HR (17 orgs, 200 people, 175 with a photo), an empty platform, and a platform that applies
        // calls and loses their answers: 2 org addOrEdits, 4 person addOrEdits and 3 photo uploads dropped after
        // being applied, 1 person addOrEdit and 1 upload answered after the response timeout
        addLost(Mode.APPLY_THEN_DROP, ORG_ADD, 2, 9);
        addLost(Mode.APPLY_THEN_DROP, PERSON_ADD, 10, 40, 90, 150);
        addLost(Mode.APPLY_THEN_LATE, PERSON_ADD, 120);
        addLost(Mode.APPLY_THEN_DROP, UPLOAD, 5, 60, 130);
        addLost(Mode.APPLY_THEN_LATE, UPLOAD, 100);
        Map<String, Double> lostBefore = lostAnswers();

        // When a full sync runs
        HrSyncRun run = run("FULL");

        // Then it completed, with every org and person created once in the run's counts
        assertThat(run.getStatus()).isEqualTo("COMPLETED");
        assertThat(run.getCreated()).isEqualTo(17 + 200);
        assertThat(run.getFailed()).isZero();

        // And the platform holds exactly HR: 17 orgs and 200 people, each once, each with HR's photo bytes
        SimulatorState state = simulator.state();
        assertThat(state.orgs()).hasSize(17);
        assertThat(state.people()).hasSize(200);
        assertPlatformEqualsHr();

        // And the photos: 175 referenced by people, plus one orphan per upload whose answer was lost, no more
        Set<String> referenced = new HashSet<>();
        state.people().forEach(p -> {
            if (p.facePicture() != null) {
                referenced.add(p.facePicture());
            }
        });
        assertThat(referenced).hasSize(175);
        assertThat(state.photoCount()).isEqualTo(175 + 4);

        // And every lost answer was counted per API path (gateway_platform_answers_lost_total)
        Map<String, Double> lost = lostAnswers();
        assertThat(lost.get(ORG_ADD) - lostBefore.get(ORG_ADD)).isEqualTo(2.0);
        assertThat(lost.get(PERSON_ADD) - lostBefore.get(PERSON_ADD)).isEqualTo(5.0);
        assertThat(lost.get(UPLOAD) - lostBefore.get(UPLOAD)).isEqualTo(4.0);

        // And one more run finds nothing to do
        HrSyncRun check = run("FULL");
        assertThat(check.getCreated() + check.getUpdated() + check.getDeleted() + check.getFailed()).isZero();
    }

    @Test
    void deletesAppliedBeforeTheirAnswerWasLostCountAsDoneOnAPlatformThatRefusesUnknownIds() {
        // Given the sample on the platform, and a strict platform: a delete naming an id it does not hold is refused
        run("FULL");
        simulator.state().setRefuseUnknownDeletes(true);

        // And HR deletes three people, and one department together with its people
        List<String> inFinance = hr.queryForList("SELECT id FROM employee WHERE department_id = 'D142'", String.class);
        hr.update("DELETE FROM employee WHERE id IN ('E00005', 'E00006', 'E00007') OR department_id = 'D142'");
        hr.update("DELETE FROM department WHERE id = 'D142'");
        Set<String> leavers = new HashSet<>(inFinance);
        leavers.addAll(List.of("E00005", "E00006", "E00007"));

        // And the platform applies the person delete and the org delete but loses both answers
        simulator.faults().add(new Fault(Mode.APPLY_THEN_DROP, PERSON_DELETE, 0, 1, 0, 0, null, 0, null, null));
        simulator.faults().add(new Fault(Mode.APPLY_THEN_DROP, ORG_DELETE, 0, 1, 0, 0, null, 0, null, null));

        // When a full sync runs
        HrSyncRun run = run("FULL");

        // Then the deletes sent again were refused as unknown ids, and that counts as deleted: nothing failed
        assertThat(run.getStatus()).isEqualTo("COMPLETED");
        assertThat(run.getFailed()).isZero();
        assertThat(run.getDeleted()).isEqualTo(leavers.size() + 1);
        assertThat(simulator.state().org("D142")).isNull();
        assertThat(simulator.state().people()).extracting(SimulatorState.Person::thirdId).doesNotContainAnyElementsOf(leavers);
        assertPlatformEqualsHr();

        // And the gateway forgot them, so no later run deletes them again
        assertThat(gateway.queryForObject("SELECT COUNT(*) FROM sync_state WHERE third_id = 'D142' OR third_id IN "
                + "('E00005', 'E00006', 'E00007')", Integer.class)).isZero();
        long deletesBefore = calls(PERSON_DELETE) + calls(ORG_DELETE);
        HrSyncRun check = run("FULL");
        assertThat(check.getDeleted() + check.getFailed()).isZero();
        assertThat(calls(PERSON_DELETE) + calls(ORG_DELETE)).isEqualTo(deletesBefore);
    }

    @Test
    void aRefusedBatchWithSomeIdsAlreadyGoneIsDeletedOneByOne() {
        // Given the sample on the platform and a strict platform, and one person already deleted on the platform
        // (by hand, or by an earlier call whose answer was lost)
        run("FULL");
        simulator.state().setRefuseUnknownDeletes(true);
        producer.requestBodyAndHeader("direct:sophonsight-call", Map.of("thirdIds", List.of("E00011")),
                SophonSightSigner.PATH_HEADER, PERSON_DELETE);
        long deletesBefore = calls(PERSON_DELETE);

        // When HR deletes that person and two more, and a full sync runs
        hr.update("DELETE FROM employee WHERE id IN ('E00011', 'E00012', 'E00013')");
        HrSyncRun run = run("FULL");

        // Then the batch of three was refused (one id unknown), then sent one id at a time: the unknown one counts
        // as deleted, the other two were deleted
        assertThat(run.getFailed()).isZero();
        assertThat(run.getDeleted()).isEqualTo(3);
        assertThat(calls(PERSON_DELETE) - deletesBefore).isEqualTo(1 + 3);
        assertThat(simulator.state().person("E00012")).isNull();
        assertThat(simulator.state().person("E00013")).isNull();
        assertPlatformEqualsHr();
    }

    @Test
    void aDeleteRefusedForAnotherReasonStaysARefusal() {
        // Given the sample on the platform and a strict platform
        run("FULL");
        simulator.state().setRefuseUnknownDeletes(true);

        // When HR deletes a department but the platform refuses the org delete for another reason
        hr.update("UPDATE employee SET department_id = 'D141', updated_at = ? WHERE department_id = 'D143'", later());
        hr.update("DELETE FROM department WHERE id = 'D143'");
        simulator.faults().add(new Fault(Mode.BUSINESS, ORG_DELETE, 0, 1, 0, 4100, "org is locked", 0, null, null));
        HrSyncRun run = run("FULL");

        // Then it is a failure kept on the org's sync_state row for the next run, not a delete
        assertThat(run.getFailed()).isEqualTo(1);
        assertThat(simulator.state().org("D143")).isNotNull();
        assertThat(gateway.queryForObject("SELECT last_error FROM sync_state WHERE kind = 'ORG' AND third_id = 'D143'",
                String.class)).contains("org is locked");
    }

    /** One fault per position: the call after {@code after} earlier calls of the path, so no call loses two answers. */
    private void addLost(Mode mode, String path, int... afters) {
        for (int after : afters) {
            simulator.faults().add(new Fault(mode, path, after, 1, 0, 0, null, mode == Mode.APPLY_THEN_LATE ? LATE_MS : 0,
                    null, null));
        }
    }

    private Map<String, Double> lostAnswers() {
        return Map.of(ORG_ADD, lostAnswers(ORG_ADD), PERSON_ADD, lostAnswers(PERSON_ADD), UPLOAD, lostAnswers(UPLOAD));
    }

    private double lostAnswers(String path) {
        Counter counter = meters.find("gateway.platform.answers.lost").tag("path", path).counter();
        return counter == null ? 0 : counter.count();
    }
}
