package io.sophonsight.gateway.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmarks' proof that they measured real work: acknowledged pushes against new rows (push benchmark),
 * people against photo uploads (HR benchmark). A run whose counts differ is reported as invalid.
 */
class WorkCheckTest {

    @Test
    void aPushRunWhoseAcknowledgedEventsAreAllNewRowsIsValid() {
        // Given a push benchmark run in which every acknowledged event became a new row
        List<PushIngestBenchmark.Result> results = List.of(
                result("baseline", 6_000, 6_000),
                result("gateway, fan-out running", 2_400, 2_400));

        // When its report is written
        String report = PushIngestBenchmark.report(results, List.of());

        // Then it shows both counts per row and calls the run valid
        assertThat(report).contains("| acknowledged | new rows |").contains("| 2400 | 2400 |")
                .contains("Work check: valid run (2 measurements").doesNotContain("INVALID");
    }

    @Test
    void aPushRunThatCountedDuplicatesAsStoredIsReportedInvalid() {
        // Given a run in which some pushes were duplicates: answered "200 SUCCESS" but no new row
        List<PushIngestBenchmark.Result> results = List.of(
                result("baseline", 6_000, 6_000),
                result("gateway, fan-out running", 2_400, 2_350));

        // When its report is written
        String report = PushIngestBenchmark.report(results, List.of());

        // Then the run is reported invalid, naming the measurement and both counts
        assertThat(report).contains("**INVALID RUN**")
                .contains("small events, 8 clients / gateway, fan-out running: 2,400 acknowledged events ≠ 2,350 new rows")
                .doesNotContain("/ baseline: 6,000");
        assertThat(results.get(1).workCheck().valid()).isFalse();
    }

    @Test
    void anHrRunWithAnUploadPerPersonIsValidAndOneWithRetriedUploadsIsNot() {
        // Given 10,000 people synced, once with one upload each and once with 12 uploads repeated
        WorkCheck once = new WorkCheck("full sync, parallelism 4", 10_000, "people synced", 10_000, "photo uploads");
        WorkCheck retried = new WorkCheck("full sync, parallelism 4", 10_000, "people synced", 10_012, "photo uploads");

        // Then only the first is valid; the other's report row is marked and the verdict names it
        assertThat(once.valid()).isTrue();
        assertThat(once.mark()).isEmpty();
        assertThat(retried.valid()).isFalse();
        assertThat(retried.mark()).isEqualTo(
                " (INVALID RUN: full sync, parallelism 4: 10,000 people synced ≠ 10,012 photo uploads)");
        assertThat(WorkCheck.allValid(List.of(once, retried))).isFalse();
        assertThat(WorkCheck.verdict(List.of(once, retried))).startsWith("**INVALID RUN**")
                .contains("10,012 photo uploads");
    }

    private static PushIngestBenchmark.Result result(String target, long acknowledged, long newRows) {
        return new PushIngestBenchmark.Result("small events, 8 clients", target, acknowledged / 10.0, 1.0, 5.0, 0.5, 300,
                0, target.equals("baseline") ? null : 0.4, target.equals("baseline") ? null : 3.0, acknowledged, newRows);
    }
}
