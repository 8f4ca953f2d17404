package io.sophonsight.gateway.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of one reliability scenario as Markdown: a heading, one sentence saying what the
 * scenario proves, and one or more tables. {@link #write()} prints it and writes it to
 * {@code target/reliability/<name>.md}; {@code bench/reliability.sh} concatenates those files
 * into {@code target/reliability/report.md}.
 *
 * <pre>{@code
 * ReliabilityReport.of("MalformedPushFuzzTest", "Malformed pushes", "no 5xx, every refusal dead-lettered")
 *         .table("figure", "value")
 *         .row("inputs", 1000)
 *         .write();
 * }</pre>
 */
final class ReliabilityReport {

    static final Path FOLDER = Path.of("target", "reliability");

    private final String name;
    private final StringBuilder markdown = new StringBuilder();
    private List<String> lastHeader = List.of();

    private ReliabilityReport(String name) {
        this.name = name;
    }

    static ReliabilityReport of(String name, String title, String proves) {
        ReliabilityReport report = new ReliabilityReport(name);
        report.markdown.append("### ").append(title).append(" (`").append(name).append("`)\n\n")
                .append(proves).append("\n");
        return report;
    }

    /** Starts a new table with these column headings. */
    ReliabilityReport table(String... headings) {
        lastHeader = List.of(headings);
        markdown.append('\n').append(line(lastHeader)).append('\n');
        List<String> rule = new ArrayList<>();
        for (int i = 0; i < headings.length; i++) {
            rule.add(i == 0 ? "---" : "---:");
        }
        markdown.append(line(rule)).append('\n');
        return this;
    }

    ReliabilityReport row(Object... cells) {
        if (cells.length != lastHeader.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells under " + lastHeader);
        }
        List<String> texts = new ArrayList<>();
        for (Object cell : cells) {
            texts.add(format(cell));
        }
        markdown.append(line(texts)).append('\n');
        return this;
    }

    /** A line of text under the tables (e.g. the settings of the run). */
    ReliabilityReport note(String text) {
        markdown.append('\n').append(text).append('\n');
        return this;
    }

    String markdown() {
        return markdown.toString();
    }

    /** Prints the report and writes it to {@code target/reliability/<name>.md}; returns the file. */
    Path write() {
        try {
            Files.createDirectories(FOLDER);
            Path file = FOLDER.resolve(name + ".md");
            Files.writeString(file, markdown + "\n");
            System.out.println(markdown);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A size from a system property, so a longer run is one {@code -D} away. */
    static int size(String property, int defaultValue) {
        return Integer.getInteger(property, defaultValue);
    }

    private static String format(Object cell) {
        if (cell instanceof Double || cell instanceof Float) {
            return String.format(java.util.Locale.ROOT, "%.1f", ((Number) cell).doubleValue());
        }
        if (cell instanceof Long || cell instanceof Integer) {
            return String.format(java.util.Locale.ROOT, "%,d", ((Number) cell).longValue());
        }
        if (cell instanceof java.time.Duration duration) {
            return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
        }
        return String.valueOf(cell).replace("|", "\\|");
    }

    private static String line(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |";
    }
}
