package io.sophonsight.gateway.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.sophonsight.gateway.testkit.GatewayProcess;
import io.sophonsight.gateway.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Size of the embedded database file under a steady push load (bench/db-file-growth.sh, or the db-file part
 * of bench/run.sh): the packaged gateway on its embedded defaults receives {@code bench.db.rate} pushes/s
 * (each with a face and a scene photo of {@code bench.db.image-kb} KB, staged in the database until the
 * fan-out has written them out; 0 = no photos) for {@code bench.db.minutes}; {@code gateway.mv.db} is measured every
 * {@code bench.db.sample-seconds}. {@code -Dbench.db.compaction=false} turns the periodic H2 compaction
 * off, for the before/after comparison. Target (issue 16): 30 minutes at 50/s end under 500 MB, and the file
 * does not grow over the last 10 minutes. Results: target/bench/db-file-growth.md (curve) and metrics.tsv.
 *
 * <p>Each sample also records H2's own view of the file (read over {@code AUTO_SERVER=TRUE}, the same engine and
 * settings): the live megabytes (pages still referenced) and the access events stored, so a file that grows can be
 * told apart into rows that are kept (the access events stay {@code retention.access-events-days}) and dead space
 * that is not reused. The pushes acknowledged per sample show that the load really held its rate. At the end the
 * gateway stops and every acknowledged push must be a row of {@code access_event} (the benchmark fails otherwise).
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class DatabaseFileGrowthBenchmark {

    private static final String KEY = "db-growth-" + Long.toHexString(System.nanoTime());
    private static final long MB = 1024 * 1024;
    static final long TARGET_MB = 500;

    @Test
    void databaseFileSizeUnderASteadyPushLoad() throws Exception {
        int rate = Integer.getInteger("bench.db.rate", 50);
        double minutes = Double.parseDouble(System.getProperty("bench.db.minutes", "30"));
        int sampleSeconds = Integer.getInteger("bench.db.sample-seconds", 30);
        int imageKb = Integer.getInteger("bench.db.image-kb", 20);
        boolean compaction = Boolean.parseBoolean(System.getProperty("bench.db.compaction", "true"));
        String image = image(imageKb * 1024);

        GatewayProcess gateway = GatewayProcess.gateway("db-growth");
        gateway.env("GATEWAY_PUSH_KEY", KEY)
                .env("GATEWAY_H2_COMPACTION_ENABLED", Boolean.toString(compaction))
                .withoutSchedules();
        TestDatabase database = gateway.readableWhileRunning();
        Path file = gateway.dataDir().resolve("db/gateway.mv.db");
        List<long[]> curve = new ArrayList<>(); // {seconds, bytes, live bytes, access events, acknowledged, staged images}
        AtomicLong sent = new AtomicLong();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        try (gateway) {
            gateway.start().awaitReady(Duration.ofSeconds(240));
            ExecutorService senders = Executors.newFixedThreadPool(16);
            AtomicLong passTime = new AtomicLong(System.currentTimeMillis() - Duration.ofDays(1).toMillis());
            long interval = 1_000_000_000L / rate;
            long start = System.nanoTime();
            long end = start + (long) (minutes * 60e9);
            long nextSample = start;
            System.out.printf(Locale.ROOT, "db-file: %d pushes/s for %.1f min, %d KB photos, compaction %s%n",
                    rate, minutes, imageKb, compaction ? "on" : "off");
            for (long i = 0; ; i++) {
                long now = System.nanoTime();
                if (now >= nextSample) {
                    long seconds = Math.round((now - start) / 1e9);
                    long[] sample = sample(seconds, file, database, acknowledged.get());
                    curve.add(sample);
                    BenchMetrics.progress(String.format(Locale.ROOT, "step: db-file %4d s  %6.1f MB (live %.1f MB)  %d acknowledged, %d errors",
                            seconds, sample[1] / (double) MB, sample[2] / (double) MB, acknowledged.get(), errors.get()));
                    nextSample += sampleSeconds * 1_000_000_000L;
                }
                if (now >= end) {
                    break;
                }
                long due = start + i * interval;
                if (due > now) {
                    TimeUnit.NANOSECONDS.sleep(due - now); // pacing of the load generator, not a test wait
                }
                long time = passTime.incrementAndGet();
                sent.incrementAndGet();
                senders.submit(() -> push(gateway, time, image, acknowledged, errors));
            }
            senders.shutdown();
            senders.awaitTermination(60, TimeUnit.SECONDS);
            long seconds = Math.round((System.nanoTime() - start) / 1e9);
            if (curve.get(curve.size() - 1)[0] != seconds) {
                curve.add(sample(seconds, file, database, acknowledged.get()));
            }
        }
        // the gateway has stopped (gracefully): every acknowledged push is a stored access event
        long rows = countAccessEvents(database);
        double achievedRate = acknowledged.get() / (curve.get(curve.size() - 1)[0] - curve.get(0)[0] + 1e-9);
        String report = report(curve, rate, minutes, imageKb, compaction, sent.get(), acknowledged.get(), errors.get(), rows,
                achievedRate);
        Path out = Path.of("target", "bench", "db-file-growth.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        long last = curve.get(curve.size() - 1)[1];
        String run = String.format(Locale.ROOT, "%d pushes/s for %.1f min, compaction %s", rate, minutes, compaction ? "on" : "off");
        BenchMetrics.record("dbfile.final", "Embedded database file at the end of the steady push load",
                last / (double) MB, "MB", run);
        BenchMetrics.record("dbfile.growth", "Embedded database file: growth over the last 10 minutes of the load",
                growthOverLast(curve, 600) / (double) MB, "MB", run);
        // the file minus H2's live data: what compaction and the reuse of freed chunks are for (live rows grow with retention)
        List<long[]> dead = curve.stream().filter(p -> p[2] >= 0).map(p -> new long[]{p[0], p[1] - p[2]}).toList();
        if (!dead.isEmpty()) {
            BenchMetrics.record("dbfile.dead.growth", "Embedded database file: dead space (file - live) growth over the last 10 minutes",
                    growthOverLast(dead, 600) / (double) MB, "MB", run + String.format(Locale.ROOT, "; live at the end %.1f MB, "
                            + "of it photos still staged for the fan-out: %d events", curve.get(curve.size() - 1)[2] / (double) MB,
                            curve.get(curve.size() - 1)[5]));
        }
        BenchMetrics.record("dbfile.rate", "Embedded database file benchmark: pushes acknowledged per second",
                achievedRate, "pushes/s", run + ", target rate " + rate);
        System.out.println(report);
        assertThat(errors.get()).as("pushes not acknowledged").isZero();
        assertThat(rows).as("access events stored = pushes acknowledged").isEqualTo(acknowledged.get());
        assertThat(achievedRate).as("the load held its rate").isGreaterThan(rate * 0.95);
    }

    private static void push(GatewayProcess gateway, long time, String image, AtomicLong acknowledged, AtomicLong errors) {
        String person = "G-" + (time % 5000);
        String json = "{\"userId\":\"" + person + "\",\"userName\":\"Growth " + person + "\",\"userType\":\"MEMBER\","
                + "\"matchScore\":0.93,\"crossTime\":" + time + ",\"deviceId\":\"BOX-GROWTH\",\"cameraId\":\"CAM-1\""
                + (image.isEmpty() ? "" : ",\"crossFacePhoto\":\"" + image + "\",\"crossSrcPhoto\":\"" + image + "\"") + "}";
        try {
            HttpResponse<String> answer = gateway.post("/sophonsight/access-records?key=" + KEY, json);
            if (answer.statusCode() == 200 && answer.body().contains("SUCCESS")) {
                acknowledged.incrementAndGet();
                return;
            }
        } catch (IOException e) {
            // counted below
        }
        errors.incrementAndGet();
    }

    /**
     * {seconds, file bytes, live bytes, access events, acknowledged, staged images}: live bytes as H2 counts them (file size x share of
     * the file in chunks x share of the chunks' pages still live); -1 when the database did not answer.
     */
    private static long[] sample(long seconds, Path file, TestDatabase database, long acknowledged) {
        long live = -1;
        long events = -1;
        long staged = -1;
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            double fileBytes = 0;
            double fill = 0;
            double chunksFill = 0;
            try (ResultSet settings = statement.executeQuery("SELECT setting_name, setting_value FROM information_schema.settings "
                    + "WHERE setting_name IN ('info.FILE_SIZE', 'info.FILL_RATE', 'info.CHUNKS_FILL_RATE')")) {
                while (settings.next()) {
                    double value = Double.parseDouble(settings.getString(2));
                    switch (settings.getString(1)) {
                        case "info.FILE_SIZE" -> fileBytes = value;
                        case "info.FILL_RATE" -> fill = value;
                        default -> chunksFill = value;
                    }
                }
            }
            live = Math.round(fileBytes * fill / 100 * chunksFill / 100);
            try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM access_event")) {
                count.next();
                events = count.getLong(1);
            }
            // photos staged in the database until the fan-out has written them out: the live data that comes and goes
            try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM access_event_image")) {
                count.next();
                staged = count.getLong(1);
            }
        } catch (SQLException | RuntimeException e) {
            System.out.println("db-file: sample at " + seconds + " s not read: " + e.getMessage());
        }
        return new long[]{seconds, size(file), live, events, acknowledged, staged};
    }

    private static long countAccessEvents(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM access_event")) {
            count.next();
            return count.getLong(1);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Growth of the file over the last {@code seconds} of the run (0 when the run was shorter). */
    static long growthOverLast(List<long[]> curve, long seconds) {
        long[] last = curve.get(curve.size() - 1);
        if (last[0] < seconds) {
            return last[1] - curve.get(0)[1];
        }
        long from = last[0] - seconds;
        long[] base = curve.stream().filter(p -> p[0] >= from).findFirst().orElse(curve.get(0));
        return last[1] - base[1];
    }

    private static String report(List<long[]> curve, int rate, double minutes, int imageKb, boolean compaction,
                                 long sent, long acknowledged, long errors, long rows, double achievedRate) {
        long last = curve.get(curve.size() - 1)[1];
        long growth = growthOverLast(curve, 600);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Embedded H2 file (gateway.mv.db) at %d pushes/s for %.1f min, %s; periodic "
                        + "compaction %s; %d sent, %d acknowledged (%.1f/s), %d errors, %d access events stored (%s); "
                        + "load average at the end %s.%n%n",
                rate, minutes, imageKb == 0 ? "no photos" : "each push with two " + imageKb + " KB photos",
                compaction ? "on" : "off", sent, acknowledged, achievedRate, errors, rows,
                rows == acknowledged ? "= acknowledged" : "NOT equal to acknowledged", loadAverage()));
        md.append("| minute | file MB | live MB | dead MB | access events | events with photos not yet fanned out | pushes/s since last sample |\n"
                + "|---|---|---|---|---|---|---|\n");
        long[] previous = null;
        for (long[] p : curve) {
            double perSecond = previous == null || p[0] == previous[0] ? 0 : (p[4] - previous[4]) / (double) (p[0] - previous[0]);
            md.append(String.format(Locale.ROOT, "| %.1f | %.1f | %.1f | %.1f | %d | %d | %.1f |%n", p[0] / 60.0, p[1] / (double) MB,
                    p[2] / (double) MB, (p[1] - p[2]) / (double) MB, p[3], p[5], perSecond));
            previous = p;
        }
        md.append(String.format(Locale.ROOT, "%nFinal size %.1f MB (target < %d MB: %s); growth over the last %s: %+.1f MB "
                        + "(target: not growing: %s).%n", last / (double) MB, TARGET_MB, last < TARGET_MB * MB ? "met" : "NOT met",
                curve.get(curve.size() - 1)[0] >= 600 ? "10 minutes" : "whole (shorter) run", growth / (double) MB,
                growth <= 0.02 * last ? "met" : "NOT met"));
        return md.toString();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String image(int bytes) {
        if (bytes == 0) {
            return "";
        }
        byte[] data = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(data);
        data[0] = (byte) 0xff;
        data[1] = (byte) 0xd8;
        return Base64.getEncoder().encodeToString(data);
    }
}
