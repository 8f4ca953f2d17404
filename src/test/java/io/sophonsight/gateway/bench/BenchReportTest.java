package io.sophonsight.gateway.bench;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.sophonsight.gateway.bench.BenchMetrics.Metric;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The benchmark report reads the push table by column names, computes the ratios and marks what did not run. */
class BenchReportTest {

    private static final String PUSH_TABLE = """
            | scenario | target | events/s | p50 ms | p99 ms | peak heap MB | errors | gateway / baseline |
            |---|---|---|---|---|---|---|---|
            | small events, 8 clients | baseline | 6000 | 0.9 | 5.7 | 532 | 0 | |
            | small events, 8 clients | gateway, fan-out paused | 3000 | 2.9 | 13.9 | 318 | 0 | 50 % |
            | small events, 8 clients | gateway, fan-out running | 2400 | 2.4 | 11.7 | 730 | 0 | 40 % |
            | small events at 200/s | baseline | 200 | 1.6 | 9.4 | 713 | 0 | |
            | small events at 200/s | gateway, fan-out paused | 200 | 2.0 | 7.0 | 705 | 0 | 100 % |
            | small events at 200/s | gateway, fan-out running | 200 | 1.8 | 7.1 | 731 | 0 | 100 % |
            | 3 x 130 KB images, 4 clients | baseline | 200 | 10.3 | 151.3 | 1985 | 0 | |
            | 3 x 130 KB images, 4 clients | gateway, fan-out paused | 150 | 18.7 | 125.6 | 1506 | 0 | 75 % |
            | 3 x 130 KB images, 4 clients | gateway, fan-out running | 140 | 20.9 | 131.5 | 1388 | 0 | 70 % |

            JVM: 17.0.15, max heap 5966 MB, 2 CPUs; [warm-up 2 s, measure 3 s]
            """;

    @Test
    void pushTableIsReadByColumnNamesEvenWithColumnsReordered() {
        // Given the push table with its columns in another order and one column more
        String reordered = """
                | target | scenario | extra | p99 ms | p50 ms | events/s |
                |---|---|---|---|---|---|
                | baseline | small events at 500/s | x | 9.0 | 1.0 | 500 |
                """;

        // When it is parsed
        BenchReport.Push push = BenchReport.parsePush(reordered);

        // Then each figure is taken from its named column
        BenchReport.PushRow row = push.get("rate", BenchReport.BASELINE);
        assertThat(row.eventsPerSecond()).isEqualTo(500);
        assertThat(row.p50Ms()).isEqualTo(1.0);
        assertThat(row.p99Ms()).isEqualTo(9.0);
        assertThat(row.peakHeapMb()).isNaN();
    }

    @Test
    void thePushBenchmarksOwnRatioAndCpuPerEventAreUsedWhereItsTableHasThem() {
        // Given a push table whose ratio compares with baseline slices interleaved with the gateway's (not the baseline row)
        String table = """
                | scenario | target | events/s | p50 ms | p99 ms | CPU ms / event | peak heap MB | errors | gateway / baseline |
                |---|---|---|---|---|---|---|---|---|
                | small events, 8 clients | baseline | 6000 | 0.9 | 5.7 | 0.30 | 532 | 0 | |
                | small events, 8 clients | gateway, fan-out paused | 3000 | 2.9 | 13.9 | 0.61 | 318 | 0 | 55 % |
                """;

        // When the report is written
        String md = new BenchReport(Map.of(), BenchReport.parsePush(table), machine()).markdown();

        // Then the ratio is the benchmark's, and the CPU cost per event is shown
        assertThat(md).contains("| Push ingest, small events, 8 clients: gateway, fan-out paused | 3,000 | events/s | "
                + "≥ 70 % of the baseline | 55 % of the baseline; 0.61 CPU ms per event |");
    }

    @Test
    void aPushTableWithoutTheExpectedColumnsIsRefusedWithItsHeader() {
        assertThatThrownBy(() -> BenchReport.parsePush("| scenario | rate |\n|---|---|\n| a | 1 |\n"))
                .hasMessageContaining("unexpected header | scenario | rate |");
    }

    @Test
    void tableShowsRatiosToTheBaselineAndToTheSimulatorsCapacity() {
        // Given a push table and HR figures
        Map<String, Metric> metrics = new LinkedHashMap<>();
        metrics.put("hr.full.rate", new Metric("hr.full.rate", "HR full sync, 1,000 people, parallelism 4", 300, "people/s", "n"));
        metrics.put("hr.capacity.addOrEdit", new Metric("hr.capacity.addOrEdit", "Simulator capacity: addOrEdit", 1200, "calls/s", ""));
        metrics.put("hr.capacity.person", new Metric("hr.capacity.person", "Simulator capacity: both", 400, "people/s", ""));
        BenchReport report = new BenchReport(metrics, BenchReport.parsePush(PUSH_TABLE), machine());

        // When the Markdown is written
        String md = report.markdown();

        // Then each gateway rate carries its ratio, and the parts that did not run say so
        assertThat(md).contains("| Push ingest, small events, 8 clients: gateway, fan-out paused | 3,000 | events/s | ≥ 70 % of the baseline | 50 % of the baseline |")
                .contains("| Push ingest with images, 3 x 130 KB images, 4 clients: gateway, fan-out running | 140 | events/s |  | 70 % of the baseline |")
                .contains("| Push latency p99, small events at 200/s, gateway, fan-out running | 7.1 | ms |  |")
                .contains("| HR full sync, 1,000 people, parallelism 4 | 300 | people/s | ≥ 80 % of upload + addOrEdit capacity | 25 % of the simulator's addOrEdit capacity, 75 % of its upload + addOrEdit capacity; n |")
                .contains("| Start-up: process start to readiness 200 | not measured |  | < 15 s |")
                .contains("Machine: 2 cores (nproc), Test CPU, 23.4 GB RAM, openjdk version \"17\"; load average (1 min) at start: 3.5")
                .contains("quick mode")
                .contains("**Quick run (small sizes, short measurements)")
                .contains("**Other load was present at the start (load average 3.5 on 2 cores): the figures are noisy.**");
    }

    @Test
    void readmeResultsBlockIsReplacedAndTheRestKept() {
        String readme = "# t\nbefore\n<!-- bench-results:begin -->\nold\n<!-- bench-results:end -->\nafter\n";

        String updated = BenchReport.replaceResultsBlock(readme, "new table\n");

        assertThat(updated).isEqualTo("# t\nbefore\n<!-- bench-results:begin -->\nnew table\n<!-- bench-results:end -->\nafter\n");
        assertThatThrownBy(() -> BenchReport.replaceResultsBlock("# no block", "x")).hasMessageContaining("no <!-- bench-results:begin -->");
    }

    @Test
    void chartIsDrawnAt1200By700AlsoWhenPartsAreMissing() {
        BufferedImage chart = new BenchReport(Map.of(), BenchReport.parsePush(""), machine()).chart();

        assertThat(chart.getWidth()).isEqualTo(1200);
        assertThat(chart.getHeight()).isEqualTo(700);
    }

    @Test
    void scaleEndsOnARoundNumberAboveTheTallestBar() {
        assertThat(BenchReport.niceCeiling(118)).isEqualTo(150);
        assertThat(BenchReport.niceCeiling(7.2)).isEqualTo(10);
        assertThat(BenchReport.niceCeiling(0)).isEqualTo(1);
    }

    private static Properties machine() {
        Properties machine = new Properties();
        machine.setProperty("mode", "quick");
        machine.setProperty("cores", "2");
        machine.setProperty("cpu", "Test CPU");
        machine.setProperty("ram", "23.4 GB");
        machine.setProperty("java", "openjdk version \"17\"");
        machine.setProperty("load1", "3.5");
        return machine;
    }
}
