package io.sophonsight.gateway.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import javax.imageio.ImageIO;

import io.sophonsight.gateway.bench.BenchMetrics.Metric;

/**
 * Turns one benchmark run into {@code latest.md} (a Markdown table: metric, value, unit, ratio / notes, and the
 * machine it ran on) and {@code latest.png} (a 1200 x 700 chart drawn with Java2D). Inputs, all under the
 * input folder ({@code target/bench}): {@code metrics.tsv} ({@link BenchMetrics}: HR sync, start-up),
 * {@code push-benchmark.md} (the table of {@code PushIngestBenchmark}, read by its column names) and
 * {@code machine.properties} (written by {@code bench/run.sh}). A part that did not run is listed as not
 * measured, so a partial run still gives a report.
 *
 * <pre>java -cp target/test-classes io.sophonsight.gateway.bench.BenchReport target/bench bench/results [docs/benchmarks.md]</pre>
 * With the third argument the report also replaces the results block of that page (docs/benchmarks.md).
 */
public final class BenchReport {

    static final String BASELINE = "baseline";
    static final String PAUSED = "gateway, fan-out paused";
    static final String RUNNING = "gateway, fan-out running";

    /**
     * One row of the push benchmark's table. {@code ratio} (gateway / baseline) is the benchmark's own where its
     * table has that column (it may compare with baseline slices interleaved with the gateway's), NaN otherwise;
     * {@code cpuMsPerEvent} NaN where the table has no such column.
     */
    record PushRow(String scenario, String target, double eventsPerSecond, double p50Ms, double p99Ms, double peakHeapMb,
                   double ratio, double cpuMsPerEvent) {
    }

    /** The push figures by scenario kind ({@code small}, {@code rate}, {@code images}) and target. */
    record Push(Map<String, Map<String, PushRow>> byKind) {
        PushRow get(String kind, String target) {
            return byKind.getOrDefault(kind, Map.of()).get(target);
        }

        String scenario(String kind) {
            return byKind.getOrDefault(kind, Map.of()).values().stream().findFirst().map(PushRow::scenario).orElse(kind);
        }
    }

    private final Map<String, Metric> metrics;
    private final Push push;
    private final Properties machine;

    BenchReport(Map<String, Metric> metrics, Push push, Properties machine) {
        this.metrics = metrics;
        this.push = push;
        this.machine = machine;
    }

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args.length > 0 ? args[0] : "target/bench");
        Path out = Path.of(args.length > 1 ? args[1] : "bench/results");
        Properties machine = new Properties();
        Path machineFile = in.resolve("machine.properties");
        if (Files.exists(machineFile)) {
            try (Reader reader = Files.newBufferedReader(machineFile, StandardCharsets.UTF_8)) {
                machine.load(reader);
            }
        }
        Path pushFile = in.resolve("push-benchmark.md");
        Push push = parsePush(Files.exists(pushFile) ? Files.readString(pushFile) : "");
        BenchReport report = new BenchReport(BenchMetrics.read(in.resolve("metrics.tsv")), push, machine);
        Files.createDirectories(out);
        Files.writeString(out.resolve("latest.md"), report.markdown());
        ImageIO.write(report.chart(), "png", out.resolve("latest.png").toFile());
        System.out.print(report.markdown());
        if (args.length > 2) {
            Path readme = Path.of(args[2]);
            Files.writeString(readme, replaceResultsBlock(Files.readString(readme), report.markdown()));
            System.out.println("results written into " + readme);
        }
    }

    // ------------------------------------------------------------------ push table

    /**
     * Reads the push benchmark's Markdown table by its header names (scenario, target, events/s, p50 ms,
     * p99 ms, peak heap MB), so added or reordered columns do not break it. Scenario kinds: the one with
     * "image" in its name, the one "at N/s" (fixed rate), and the other (saturated small events).
     */
    static Push parsePush(String markdown) {
        Map<String, Map<String, PushRow>> byKind = new LinkedHashMap<>();
        Map<String, Integer> columns = null;
        for (String line : markdown.split("\n")) {
            if (!line.startsWith("|")) {
                columns = null;
                continue;
            }
            List<String> cells = cells(line);
            if (columns == null) {
                columns = new HashMap<>();
                for (int i = 0; i < cells.size(); i++) {
                    columns.put(cells.get(i).toLowerCase(Locale.ROOT), i);
                }
                if (!columns.keySet().containsAll(List.of("scenario", "target", "events/s", "p50 ms", "p99 ms"))) {
                    throw new IllegalArgumentException("push-benchmark.md: unexpected header " + line);
                }
                continue;
            }
            if (cells.stream().allMatch(c -> c.matches("-+"))) {
                continue;
            }
            String scenario = cells.get(columns.get("scenario"));
            String kind = scenario.toLowerCase(Locale.ROOT).contains("image") ? "images"
                    : scenario.matches(".* at \\d+/s.*") ? "rate" : "small";
            PushRow row = new PushRow(scenario, cells.get(columns.get("target")), number(cells.get(columns.get("events/s"))),
                    number(cells.get(columns.get("p50 ms"))), number(cells.get(columns.get("p99 ms"))),
                    optional(cells, columns, "peak heap mb"), optional(cells, columns, "gateway / baseline") / 100,
                    optional(cells, columns, "cpu ms / event"));
            byKind.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(row.target(), row);
        }
        return new Push(byKind);
    }

    private static double optional(List<String> cells, Map<String, Integer> columns, String column) {
        Integer index = columns.get(column);
        return index == null || index >= cells.size() ? Double.NaN : number(cells.get(index));
    }

    /** Gateway / baseline: the benchmark's own ratio where it gives one, else computed from the two rates. */
    static double ratio(PushRow gateway, PushRow baseline) {
        if (!Double.isNaN(gateway.ratio())) {
            return gateway.ratio();
        }
        return baseline == null ? Double.NaN : gateway.eventsPerSecond() / baseline.eventsPerSecond();
    }

    private static String cpu(PushRow row) {
        return Double.isNaN(row.cpuMsPerEvent()) ? "" : String.format(Locale.ROOT, "; %.2f CPU ms per event", row.cpuMsPerEvent());
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    private static double number(String text) {
        String digits = text.replace(",", "").replaceAll("[^0-9.eE+-]", "");
        return digits.isEmpty() ? Double.NaN : Double.parseDouble(digits);
    }

    // ------------------------------------------------------------------ Markdown

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Benchmark run: ").append(machine.getProperty("mode", "?")).append(" mode, ")
                .append(machine.getProperty("date", "?")).append(", commit ").append(machine.getProperty("commit", "?"))
                .append("\n\n").append(caveats()).append("Machine: ").append(machineLine()).append("\n\nTime per part: ")
                .append(machine.getProperty("parts", "?")).append(machine.getProperty("failed", "").isBlank() ? ""
                        : "; FAILED: " + machine.getProperty("failed")).append("\n\n");
        md.append("| metric | value | unit | target (issue 16) | ratio / notes |\n|---|---|---|---|---|\n");
        for (String[] row : rows()) {
            md.append("| ").append(String.join(" | ", row[0], row[1], row[2], target(row[0]), row[3])).append(" |\n");
        }
        md.append("\nRatios: push = gateway / plain baseline (JDK HTTP server, same JSON parse, one insert into the same ")
                .append("database, group-committed like the gateway's store step, same JVM; CPU per event = the whole JVM's); HR = gateway people/s / the simulator's addOrEdit calls/s ")
                .append("when called directly at the same parallelism (the gateway makes two calls per person: photo ")
                .append("upload, then addOrEdit).\n");
        return md.toString();
    }

    /** Bold warnings when the figures cannot be taken at face value: a quick run, other load on the machine. */
    String caveats() {
        StringBuilder text = new StringBuilder();
        if ("quick".equals(machine.getProperty("mode"))) {
            text.append("**Quick run (small sizes, short measurements): it shows that the runner works; its figures are ")
                    .append("indicative only.** ");
        }
        try {
            double load = Double.parseDouble(machine.getProperty("load1", ""));
            int cores = Integer.parseInt(machine.getProperty("cores", ""));
            if (load >= 0.5 * cores) {
                text.append(String.format(Locale.ROOT, "**Other load was present at the start (load average %.1f on %d cores): "
                        + "the figures are noisy.**", load, cores));
            }
        } catch (NumberFormatException unknown) {
            text.append("**Load of the machine at the start unknown.**");
        }
        return text.isEmpty() ? "" : text.toString().strip() + "\n\n";
    }

    /**
     * Replaces the block between {@code <!-- bench-results:begin -->} and {@code <!-- bench-results:end -->} of
     * {@code readme} with this report ({@code bench/run.sh --readme}).
     */
    static String replaceResultsBlock(String readme, String report) {
        String begin = "<!-- bench-results:begin -->";
        String end = "<!-- bench-results:end -->";
        int from = readme.indexOf(begin);
        int to = readme.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("README has no " + begin + " ... " + end + " block");
        }
        return readme.substring(0, from + begin.length()) + "\n" + report + readme.substring(to);
    }

    /** The target a figure is held to (issue 16), by its label; empty where none is set. */
    static String target(String label) {
        if (label.contains("stack floor")) {
            return "reported: the fixed stack alone (Tomcat + Spring MVC + Camel, the baseline's work)";
        }
        if (label.startsWith("Push ingest, small events") && label.contains(": gateway")) {
            return "≥ 70 % of the baseline";
        }
        if (label.startsWith("Push ingest, ") && label.endsWith("/ baseline")) {
            return "≥ 0.7 x";
        }
        if (label.startsWith("Push CPU per event")) {
            return "≤ 1.5 x";
        }
        if (label.startsWith("HR full sync at ")) {
            return "≥ 0.9 x ideal";
        }
        if (label.startsWith("HR full sync: gateway CPU") || label.startsWith("HR full sync: CPU")) {
            return "reported (no target): ms per person";
        }
        if (label.startsWith("Start-up: CPU")) {
            return "reported: less load-sensitive than the wall time";
        }
        if (label.startsWith("Embedded database file: dead space")) {
            return "not growing (~0 MB)";
        }
        if (label.startsWith("Embedded database file benchmark")) {
            return "50 pushes/s held";
        }
        if (label.startsWith("HR full sync")) {
            return "≥ 80 % of upload + addOrEdit capacity";
        }
        if (label.startsWith("HR streaming full sync")) {
            return "< 256 MB";
        }
        if (label.startsWith("Start-up")) {
            return "< 15 s";
        }
        if (label.startsWith("Idle memory: resident")) {
            return "< 400 MB";
        }
        if (label.startsWith("Embedded database file at the end")) {
            return "< 500 MB after 30 min at 50/s";
        }
        if (label.startsWith("Embedded database file: growth")) {
            return "not growing (~0 MB)";
        }
        return "";
    }

    String machineLine() {
        return String.format("%s cores (nproc), %s, %s RAM, %s; load average (1 min) at start: %s",
                machine.getProperty("cores", "?"), machine.getProperty("cpu", "?"), machine.getProperty("ram", "?"),
                machine.getProperty("java", "?"), machine.getProperty("load1", "?"));
    }

    List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        pushRates(rows, "small", "Push ingest, ");
        PushRow rateBaseline = push.get("rate", BASELINE);
        for (String target : List.of(BASELINE, PAUSED, RUNNING)) {
            PushRow row = push.get("rate", target);
            if (row == null) {
                rows.add(new String[] {"Push latency, " + push.scenario("rate") + ", " + target, "not measured", "", ""});
                continue;
            }
            String compare = String.format(Locale.ROOT, "%.0f events/s delivered", row.eventsPerSecond())
                    + (target.equals(BASELINE) || rateBaseline == null ? "" : String.format(Locale.ROOT,
                    "; baseline p50 %.1f ms, p99 %.1f ms", rateBaseline.p50Ms(), rateBaseline.p99Ms()));
            rows.add(new String[] {"Push latency p50, " + push.scenario("rate") + ", " + target, fmt(row.p50Ms(), 1), "ms", compare});
            rows.add(new String[] {"Push latency p99, " + push.scenario("rate") + ", " + target, fmt(row.p99Ms(), 1), "ms", ""});
        }
        pushRates(rows, "images", "Push ingest with images, ");
        PushRow images = push.get("images", RUNNING);
        rows.add(images == null ? new String[] {"Push ingest with images: peak heap", "not measured", "", ""}
                : new String[] {"Push ingest with images: peak heap", fmt(images.peakHeapMb(), 0), "MB",
                        "whole benchmark JVM (gateway and baseline share it), during the gateway's run"});

        Metric capacity = metrics.get("hr.capacity.addOrEdit");
        Metric capacityPerson = metrics.get("hr.capacity.person");
        Metric full = metrics.get("hr.full.rate");
        String fullNotes = full == null ? "" : (capacity == null ? "" : percent(full.value() / capacity.value())
                + " of the simulator's addOrEdit capacity" + (capacityPerson == null ? "" : ", "
                + percent(full.value() / capacityPerson.value()) + " of its upload + addOrEdit capacity") + "; ") + full.notes();
        rows.add(metricRow("hr.full.rate", "HR full sync", fullNotes));
        rows.add(metricRow("hr.capacity.addOrEdit", "Simulator capacity: addOrEdit called directly", null));
        rows.add(metricRow("hr.capacity.person", "Simulator capacity: photo upload + addOrEdit directly", null));
        rows.add(metricRow("hr.full.ratio", "HR full sync / simulator upload + addOrEdit capacity", null));
        rows.add(metricRow("hr.full.cpu", "HR full sync: gateway CPU per person", null));
        rows.add(metricRow("hr.latency.ratio", "HR full sync at 20 ms platform latency / ideal", null));
        rows.add(metricRow("hr.stream.heap", "HR streaming full sync: live heap at its peak", null));
        rows.add(metricRow("hr.nochange.seconds", "No-change reconciliation: time", null));
        rows.add(metricRow("hr.nochange.calls", "No-change reconciliation: platform calls", null));
        rows.add(metricRow("hr.nochange.heap", "No-change reconciliation: peak heap", null));
        rows.add(metricRow("startup.seconds", "Start-up: process start to readiness 200", null));
        rows.add(metricRow("idle.rss", "Idle memory: resident set size", null));
        rows.add(metricRow("idle.heap", "Idle memory: heap in use", null));
        for (String database : List.of("h2", "postgresql")) {
            for (String key : List.of("baseline.rate", "paused.ratio", "paused.cpu", "running.ratio", "running.cpu",
                    "floor.ratio", "floor.cpu")) {
                if (metrics.containsKey("push." + database + "." + key)) {
                    rows.add(metricRow("push." + database + "." + key, "", null));
                }
            }
        }
        rows.add(metricRow("dbfile.final", "Embedded database file at the end of the steady push load", null));
        rows.add(metricRow("dbfile.growth", "Embedded database file: growth over the last 10 minutes of the load", null));
        return rows;
    }

    private void pushRates(List<String[]> rows, String kind, String prefix) {
        PushRow baseline = push.get(kind, BASELINE);
        for (String target : List.of(BASELINE, PAUSED, RUNNING)) {
            PushRow row = push.get(kind, target);
            String label = prefix + push.scenario(kind) + ": " + target;
            if (row == null) {
                rows.add(new String[] {label, "not measured", "", ""});
            } else if (target.equals(BASELINE)) {
                rows.add(new String[] {label, fmt(row.eventsPerSecond(), 0), "events/s", "the reference (100 %)" + cpu(row)});
            } else {
                double ratio = ratio(row, baseline);
                rows.add(new String[] {label, fmt(row.eventsPerSecond(), 0), "events/s",
                        (Double.isNaN(ratio) ? "" : percent(ratio) + " of the baseline") + cpu(row)});
            }
        }
    }

    private String[] metricRow(String key, String missingLabel, String notes) {
        Metric m = metrics.get(key);
        if (m == null) {
            return new String[] {missingLabel, "not measured", "", ""};
        }
        int decimals = m.value() >= 100 || m.unit().equals("calls") ? 0 : m.unit().equals("x") ? 2 : 1;
        return new String[] {m.label(), fmt(m.value(), decimals), m.unit(), notes == null ? m.notes() : notes};
    }

    static String fmt(double value, int decimals) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * ratio);
    }

    // ------------------------------------------------------------------ chart

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 700;
    private static final Color REFERENCE = new Color(0x9E, 0x9E, 0x9E);
    private static final Color REFERENCE_2 = new Color(0xCF, 0xCF, 0xCF);
    private static final Color GATEWAY_PAUSED = new Color(0x64, 0xA0, 0xDC);
    private static final Color GATEWAY = new Color(0x1F, 0x5F, 0xA8);
    private static final Color INK = new Color(0x22, 0x22, 0x22);
    /** Issue 16's target of a group, drawn across it as a dashed line with its label. */
    private static final Color TARGET = new Color(0xC6, 0x28, 0x28);
    private static final Color GRID = new Color(0xE4, 0xE4, 0xE4);

    /** One bar: its value label (lines split by \\n), its height in the panel's unit, its colour. */
    record Bar(String valueLabel, double height, Color colour) {
    }

    /** One group of bars with a caption under it. */
    record Group(String caption, List<Bar> bars, double target, String targetLabel) {
        Group(String caption, List<Bar> bars) {
            this(caption, bars, Double.NaN, null);
        }
    }

    BufferedImage chart() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        g.setColor(INK);
        drawFitted(g, "sophonsight-gateway benchmarks (" + machine.getProperty("mode", "?") + " run"
                + ("quick".equals(machine.getProperty("mode")) ? ", indicative only" : "") + ", "
                + machine.getProperty("date", "?") + ", commit " + machine.getProperty("commit", "?") + ")", Font.BOLD, 22, 38);
        drawFitted(g, machineLine(), Font.PLAIN, 13, 60);

        bars(g, "Throughput, % of the reference (labels: absolute rate)", 30, 90, 760, 470, ratioGroups(), "%", 100);
        bars(g, "Latency at a fixed push rate (ms)", 830, 90, 340, 470, latencyGroups(), "ms", Double.NaN);

        g.setColor(INK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        int y = 620;
        for (String line : footer()) {
            g.drawString(line, 30, y);
            y += 22;
        }
        legend(g, 30, HEIGHT - 12);
        g.dispose();
        return image;
    }

    /** One line of text at the left margin, its font made smaller until it fits the width. */
    private static void drawFitted(Graphics2D g, String text, int style, int size, int y) {
        Font font = new Font(Font.SANS_SERIF, style, size);
        while (font.getSize() > 9 && g.getFontMetrics(font).stringWidth(text) > WIDTH - 60) {
            font = font.deriveFont((float) font.getSize() - 1);
        }
        g.setFont(font);
        g.drawString(text, 30, y);
    }

    private List<Group> ratioGroups() {
        List<Group> groups = new ArrayList<>();
        for (String[] kind : new String[][] {{"small", "Push, small events"}, {"images", "Push, 3 x 130 KB images"}}) {
            PushRow baseline = push.get(kind[0], BASELINE);
            List<Bar> bars = new ArrayList<>();
            if (baseline != null) {
                bars.add(new Bar(fmt(baseline.eventsPerSecond(), 0) + "/s", 100, REFERENCE));
                for (String target : List.of(PAUSED, RUNNING)) {
                    PushRow row = push.get(kind[0], target);
                    if (row != null) {
                        double ratio = ratio(row, baseline);
                        bars.add(new Bar(fmt(row.eventsPerSecond(), 0)
                                + "/s\n" + percent(ratio), 100 * ratio, target.equals(PAUSED) ? GATEWAY_PAUSED : GATEWAY));
                    }
                }
            }
            // issue 16 sets its push target on small events: >= 70 % of the group-committing baseline
            groups.add(kind[0].equals("small") ? new Group(kind[1], bars, 70, "target ≥ 70 %") : new Group(kind[1], bars));
        }
        Metric capacity = metrics.get("hr.capacity.addOrEdit");
        Metric capacityPerson = metrics.get("hr.capacity.person");
        Metric full = metrics.get("hr.full.rate");
        List<Bar> hr = new ArrayList<>();
        if (capacity != null) {
            hr.add(new Bar(fmt(capacity.value(), 0) + "/s", 100, REFERENCE));
            if (capacityPerson != null) {
                hr.add(new Bar(fmt(capacityPerson.value(), 0) + "/s\n"
                        + percent(capacityPerson.value() / capacity.value()), 100 * capacityPerson.value() / capacity.value(), REFERENCE_2));
            }
            if (full != null) {
                hr.add(new Bar(fmt(full.value(), 0) + "/s\n" + percent(full.value() / capacity.value()),
                        100 * full.value() / capacity.value(), GATEWAY));
            }
        }
        // issue 16: >= 0.8 x the simulator's upload + addOrEdit capacity, drawn on this panel's scale (% of addOrEdit alone)
        groups.add(capacity != null && capacityPerson != null
                ? new Group("HR full sync, people/s", hr, 80 * capacityPerson.value() / capacity.value(), "target ≥ 0.8 x")
                : new Group("HR full sync, people/s", hr));
        return groups;
    }

    private List<Group> latencyGroups() {
        List<Group> groups = new ArrayList<>();
        for (String p : List.of("p50", "p99")) {
            List<Bar> bars = new ArrayList<>();
            for (String target : List.of(BASELINE, PAUSED, RUNNING)) {
                PushRow row = push.get("rate", target);
                if (row != null) {
                    double ms = p.equals("p50") ? row.p50Ms() : row.p99Ms();
                    Color colour = target.equals(BASELINE) ? REFERENCE : target.equals(PAUSED) ? GATEWAY_PAUSED : GATEWAY;
                    bars.add(new Bar(fmt(ms, 1), ms, colour));
                }
            }
            groups.add(new Group(p + " at " + push.scenario("rate").replaceAll(".* at ", ""), bars));
        }
        return groups;
    }

    private List<String> footer() {
        List<String> lines = new ArrayList<>();
        Metric seconds = metrics.get("hr.nochange.seconds");
        Metric calls = metrics.get("hr.nochange.calls");
        Metric heap = metrics.get("hr.nochange.heap");
        lines.add(seconds == null ? "No-change reconciliation: not measured"
                : seconds.label().replace(": time", "") + ": " + fmt(seconds.value(), 1) + " s"
                + (calls == null ? "" : ", " + fmt(calls.value(), 0) + " platform calls (" + calls.notes() + ")")
                + (heap == null ? "" : ", peak heap " + fmt(heap.value(), 0) + " MB"));
        Metric startup = metrics.get("startup.seconds");
        Metric rss = metrics.get("idle.rss");
        Metric idleHeap = metrics.get("idle.heap");
        lines.add(startup == null ? "Start-up and idle memory: not measured"
                : "Start-up to readiness: " + fmt(startup.value(), 1) + " s (target < 15 s)"
                + (rss == null ? "" : "   Idle RSS: " + fmt(rss.value(), 0) + " MB (target < 400 MB)")
                + (idleHeap == null ? "" : "   Idle heap in use: " + fmt(idleHeap.value(), 0) + " MB")
                + "   (embedded defaults, -Xmx512m)");
        return lines;
    }

    /**
     * A panel of grouped bars. {@code reference} draws a dashed line at that height (100 %); the scale is
     * the tallest bar plus head room for the value labels.
     */
    private static void bars(Graphics2D g, String title, int x, int y, int width, int height, List<Group> groups,
                             String unit, double reference) {
        g.setColor(INK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, x, y);
        int left = x + 50;
        int top = y + 20;
        int bottom = y + height - 40;
        int right = x + width;
        double max = groups.stream().flatMap(gr -> gr.bars().stream()).mapToDouble(Bar::height)
                .filter(v -> !Double.isNaN(v)).max().orElse(1);
        if (!Double.isNaN(reference)) {
            max = Math.max(max, reference);
        }
        double scale = niceCeiling(max * 1.18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= 5; i++) {
            double v = scale * i / 5;
            int gy = bottom - (int) Math.round((bottom - top) * v / scale);
            g.setColor(GRID);
            g.drawLine(left, gy, right, gy);
            g.setColor(INK);
            String label = fmt(v, v < 10 && v != Math.rint(v) ? 1 : 0) + (unit.equals("%") ? " %" : "");
            g.drawString(label, left - 8 - fm.stringWidth(label), gy + 4);
        }
        if (!Double.isNaN(reference)) {
            int ry = bottom - (int) Math.round((bottom - top) * reference / scale);
            g.setColor(REFERENCE);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.drawLine(left, ry, right, ry);
            g.setStroke(new BasicStroke(1));
        }
        g.setColor(INK);
        g.drawLine(left, bottom, right, bottom);
        int groupWidth = (right - left) / Math.max(1, groups.size());
        for (int gi = 0; gi < groups.size(); gi++) {
            Group group = groups.get(gi);
            int gx = left + gi * groupWidth;
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            FontMetrics captionMetrics = g.getFontMetrics();
            String caption = group.bars().isEmpty() ? group.caption() + ": not measured" : group.caption();
            g.setColor(INK);
            g.drawString(caption, gx + (groupWidth - captionMetrics.stringWidth(caption)) / 2, bottom + 22);
            int n = group.bars().size();
            if (n == 0) {
                continue;
            }
            int barWidth = Math.min(70, (groupWidth - 30) / n);
            int bx = gx + (groupWidth - barWidth * n) / 2;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (Bar bar : group.bars()) {
                double value = Double.isNaN(bar.height()) ? 0 : bar.height();
                int h = (int) Math.round((bottom - top) * Math.min(value, scale) / scale);
                g.setColor(bar.colour());
                g.fillRect(bx + 4, bottom - h, barWidth - 8, h);
                g.setColor(INK);
                String[] lines = bar.valueLabel().split("\n");
                for (int li = 0; li < lines.length; li++) {
                    int ly = bottom - h - 6 - (lines.length - 1 - li) * 15;
                    g.drawString(lines[li], bx + (barWidth - fm.stringWidth(lines[li])) / 2, ly);
                }
                bx += barWidth;
            }
            if (!Double.isNaN(group.target())) {
                int ty = bottom - (int) Math.round((bottom - top) * Math.min(group.target(), scale) / scale);
                g.setColor(TARGET);
                g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 4}, 0));
                g.drawLine(gx + 8, ty, gx + groupWidth - 8, ty);
                g.setStroke(new BasicStroke(1));
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
                g.drawString(group.targetLabel(), gx + 10, ty + 14);
            }
        }
    }

    private static void legend(Graphics2D g, int x, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        Object[][] entries = {{REFERENCE, "reference: plain baseline (push), simulator's addOrEdit called directly (HR)"},
                {REFERENCE_2, "simulator: upload + addOrEdit directly"}, {GATEWAY_PAUSED, "gateway, fan-out paused"},
                {GATEWAY, "gateway"}};
        for (Object[] entry : entries) {
            g.setColor((Color) entry[0]);
            g.fillRect(x, y - 11, 14, 12);
            g.setColor(INK);
            g.drawString((String) entry[1], x + 19, y);
            x += 19 + fm.stringWidth((String) entry[1]) + 22;
        }
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code value}. */
    static double niceCeiling(double value) {
        if (value <= 0 || Double.isNaN(value)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 1.5, 2, 2.5, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }
}
