package io.sophonsight.gateway.reliability;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.sophonsight.gateway.hr.HrSampleData;
import io.sophonsight.gateway.hr.HrSyncRun;
import io.sophonsight.gateway.hr.HrSyncTestSupport;
import io.sophonsight.gateway.simulator.SimulatorFaults.Fault;
import io.sophonsight.gateway.simulator.SimulatorFaults.Mode;
import io.sophonsight.gateway.simulator.SimulatorState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform fails during a full HR sync: short bursts of HTTP 503 and dropped connections (absorbed by the
 * call step's retries), slowness, then an outage (HTTP 502 on every call) that outlasts every retry. HR keeps
 * changing while the platform is down. After the platform recovers, the next run(s) make the platform equal
 * to HR, compared set by set (orgs, people, each person's photo bytes), with nothing lost and nothing sent twice
 * (no photo uploaded twice, nobody created twice).
 *
 * <p>Sizes: {@code -Dreliability.hr.extra-people=0} people added to the 200 of the sample (with photos),
 * {@code -Dreliability.hr.outage-after=180} calls before the outage starts.
 */
class PlatformOutageDuringHrSyncTest extends HrSyncTestSupport {

    private static final String OPEN_API = "/openapi/v1/";

    @Test
    void afterAnOutageDuringAFullSyncTheNextRunMakesThePlatformEqualToHrWithNothingLostOrDuplicated() {
        // Given HR: the sample (17 orgs, 200 people, 175 photos), plus extra people if asked for
        int extra = ReliabilityReport.size("reliability.hr.extra-people", 0);
        int outageAfter = ReliabilityReport.size("reliability.hr.outage-after", 180);
        addPeople("R", extra);
        long callsBefore = openApiCalls();
        long errorsBefore = simulator.faults().injected(Mode.HTTP_ERROR);
        long dropsBefore = simulator.faults().injected(Mode.DROP);
        long delaysBefore = simulator.faults().injected(Mode.DELAY);

        // And a platform that answers 503 twice, drops two connections, is slow for ten calls (each within the
        // call step's retries), and then goes down with HTTP 502 on every call until it recovers
        simulator.faults().add(new Fault(Mode.HTTP_ERROR, OPEN_API, 20, 2, 503, 0, null, 0, null, null));
        simulator.faults().add(new Fault(Mode.DROP, OPEN_API, 60, 2, 0, 0, null, 0, null, null));
        simulator.faults().add(new Fault(Mode.DELAY, OPEN_API, 100, 10, 0, 0, null, 300, null, null));
        simulator.faults().add(new Fault(Mode.HTTP_ERROR, OPEN_API, outageAfter, -1, 502, 0, null, 0, null, null));

        // When a full sync runs into the outage
        List<HrSyncRun> runs = new ArrayList<>();
        HrSyncRun broken = run("FULL");
        runs.add(broken);

        // Then it stops (ABORTED), having sent only part of HR
        assertThat(broken.getStatus()).isEqualTo("ABORTED");
        int onPlatformAtOutage = simulator.state().people().size();
        assertThat(onPlatformAtOutage).isLessThan(hrPeople());

        // When HR changes while the platform is down (renames, new photos, leavers, joiners) and the next
        // scheduled run goes while it is still down
        hr.update("UPDATE employee SET name = CONCAT(name, ' (renamed)'), updated_at = ? WHERE id IN "
                + "('E00001', 'E00050', 'E00100', 'E00150', 'E00199')", later());
        for (String id : List.of("E00002", "E00051", "E00120")) {
            hr.update("UPDATE employee SET photo = ?, updated_at = ? WHERE id = ?", HrSampleData.face(id.hashCode(), 96),
                    later(), id);
        }
        hr.update("DELETE FROM employee WHERE id IN ('E00003', 'E00180')");
        addPeople("J", 4);
        HrSyncRun stillDown = run("FULL");
        runs.add(stillDown);
        assertThat(stillDown.getStatus()).isEqualTo("ABORTED");

        // And the platform recovers; runs go until one completes without failures (at most 5)
        long recoveredAt = System.nanoTime();
        simulator.faults().clear();
        int runsAfterRecovery = 0;
        HrSyncRun last;
        do {
            last = run("FULL");
            runs.add(last);
            runsAfterRecovery++;
        } while (!("COMPLETED".equals(last.getStatus()) && last.getFailed() == 0) && runsAfterRecovery < 5);
        Duration toConverge = Duration.ofNanos(System.nanoTime() - recoveredAt);

        // Then the platform equals HR: the same orgs (name, parent), people (name, org, phone) and face photos
        assertThat(last.getStatus()).isEqualTo("COMPLETED");
        assertThat(last.getFailed()).isZero();
        assertPlatformEqualsHr();

        // And nothing was sent twice: every photo on the platform holds other bytes (no photo uploaded twice),
        // and one more run finds nothing to do
        List<String> photoIds = photoIds();
        Set<ByteBuffer> distinctPhotos = new HashSet<>();
        photoIds.forEach(id -> distinctPhotos.add(ByteBuffer.wrap(simulator.state().photo(id))));
        assertThat(distinctPhotos).hasSize(photoIds.size());
        long callsBeforeCheck = openApiCalls();
        HrSyncRun check = run("FULL");
        assertThat(check.getCreated() + check.getUpdated() + check.getDeleted() + check.getFailed()).isZero();
        assertThat(openApiCalls()).isEqualTo(callsBeforeCheck);

        // Figures
        SimulatorState state = simulator.state();
        long failedCalls = simulator.faults().injected(Mode.HTTP_ERROR) - errorsBefore
                + simulator.faults().injected(Mode.DROP) - dropsBefore;
        ReliabilityReport report = ReliabilityReport.of("PlatformOutageDuringHrSyncTest", "Platform outage during an HR sync",
                        "HTTP 503 bursts, dropped connections, slowness, then an outage (HTTP 502 on every call) during a "
                                + "full sync while HR changes; after recovery the platform equals HR, nothing lost or "
                                + "sent twice.")
                .table("run", "platform", "status", "created", "updated", "deleted", "failed", "unchanged");
        for (int i = 0; i < runs.size(); i++) {
            HrSyncRun r = runs.get(i);
            report.row(i + 1, i < 2 ? "failing" : "recovered", r.getStatus(), r.getCreated(), r.getUpdated(), r.getDeleted(),
                    r.getFailed(), r.getUnchanged());
        }
        report.table("figure", "value")
                .row("HR at the end: orgs / people / people with a photo", hr.queryForObject("SELECT COUNT(*) FROM department",
                        Integer.class) + " / " + hrPeople() + " / " + hr.queryForObject(
                        "SELECT COUNT(*) FROM employee WHERE photo IS NOT NULL", Integer.class))
                .row("open API calls attempted (all runs, incl. retries)", callsBeforeCheck - callsBefore)
                .row("calls failed (HTTP 5xx or dropped)", failedCalls)
                .row("calls slowed (300 ms)", simulator.faults().injected(Mode.DELAY) - delaysBefore)
                .row("people on the platform when the outage stopped run 1", onPlatformAtOutage)
                .row("runs after recovery until equal to HR", runsAfterRecovery)
                .row("time from recovery to equal", toConverge)
                .row("differences platform vs HR (orgs, people, photos)", 0)
                .row("photos on the platform / uploaded twice", photoIds.size() + " / " + (photoIds.size() - distinctPhotos.size()))
                .row("calls made by one more run", openApiCalls() - callsBeforeCheck)
                .note("Platform at the end: " + state.orgs().size() + " orgs, " + state.people().size() + " people. "
                        + "Outage after " + outageAfter + " calls (`-Dreliability.hr.outage-after`), "
                        + extra + " extra HR people (`-Dreliability.hr.extra-people`).");
        report.write();
    }

    private void addPeople(String prefix, int count) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            rows.add(new Object[] {String.format("%s%05d", prefix, i), "Reliability " + prefix + i, "D121",
                    HrSampleData.face(7_000_000L + prefix.hashCode() * 100_000L + i, 96), later()});
        }
        hr.batchUpdate("INSERT INTO employee (id, name, department_id, photo, updated_at) VALUES (?, ?, ?, ?, ?)", rows);
    }

    @SuppressWarnings("unchecked")
    private List<String> photoIds() {
        return (List<String>) simulator.state().snapshot().get("photoIds");
    }

    private long openApiCalls() {
        @SuppressWarnings("unchecked")
        java.util.Map<String, Long> calls = (java.util.Map<String, Long>) simulator.state().snapshot().get("calls");
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }
}
