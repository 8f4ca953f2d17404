package io.sophonsight.gateway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures the benchmarks hand to {@link BenchReport}: one tab-separated line per metric in
 * {@code target/bench/metrics.tsv} (key, label, value, unit, notes), appended by each benchmark JVM.
 * {@code bench/run.sh} empties the file before a run; a key measured twice keeps its last value.
 */
public final class BenchMetrics {

    /** Where the benchmarks append their figures (system property {@code bench.metrics}, for a run of its own). */
    public static final Path FILE = Path.of(System.getProperty("bench.metrics", "target/bench/metrics.tsv"));

    /** One measured figure. {@code key} is stable (the report and the chart look metrics up by it). */
    public record Metric(String key, String label, double value, String unit, String notes) {
    }

    private BenchMetrics() {
    }

    public static void record(String key, String label, double value, String unit, String notes) {
        String line = String.join("\t", clean(key), clean(label), String.format(Locale.ROOT, "%.4f", value),
                clean(unit), clean(notes)) + System.lineSeparator();
        try {
            Files.createDirectories(FILE.toAbsolutePath().getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("BENCH " + line.strip());
    }

    /** Where the benchmarks append their progress lines, read by bench/run.sh while a part runs (surefire holds stdout until the end). */
    public static final Path PROGRESS = Path.of("target", "bench", "progress.log");

    /** A progress line ("step: ..."): printed, and appended to {@link #PROGRESS}. */
    public static void progress(String line) {
        System.out.println(line);
        try {
            Files.createDirectories(PROGRESS.toAbsolutePath().getParent());
            Files.writeString(PROGRESS, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every metric in {@code file} by key, in the order first recorded; empty when the file does not exist. */
    public static Map<String, Metric> read(Path file) throws IOException {
        Map<String, Metric> metrics = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return metrics;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 5) {
                throw new IOException("not a metric line (key, label, value, unit, notes) in " + file + ": " + line);
            }
            metrics.put(f[0], new Metric(f[0], f[1], Double.parseDouble(f[2]), f[3], f[4]));
        }
        return metrics;
    }

    private static String clean(String text) {
        return text == null ? "" : text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
