package io.sophonsight.gateway.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Path file = gateway.dataDir().resolve("db/gateway.mv.db");
        List<long[]> curve = new ArrayList<>(); // {seconds, bytes}
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
                    curve.add(new long[]{seconds, size(file)});
                    BenchMetrics.progress(String.format(Locale.ROOT, "step: db-file %4d s  %6.1f MB  %d acknowledged, %d errors",
                            seconds, size(file) / (double) MB, acknowledged.get(), errors.get()));
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
                curve.add(new long[]{seconds, size(file)});
            }
        }
        String report = report(curve, rate, minutes, imageKb, compaction, sent.get(), acknowledged.get(), errors.get());
        Path out = Path.of("target", "bench", "db-file-growth.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        long last = curve.get(curve.size() - 1)[1];
        String run = String.format(Locale.ROOT, "%d pushes/s for %.1f min, compaction %s", rate, minutes, compaction ? "on" : "off");
        BenchMetrics.record("dbfile.final", "Embedded database file at the end of the steady push load",
                last / (double) MB, "MB", run);
        BenchMetrics.record("dbfile.growth", "Embedded database file: growth over the last 10 minutes of the load",
                growthOverLast(curve, 600) / (double) MB, "MB", run);
        System.out.println(report);
        assertThat(errors.get()).as("pushes not acknowledged").isZero();
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
                                 long sent, long acknowledged, long errors) {
        long last = curve.get(curve.size() - 1)[1];
        long growth = growthOverLast(curve, 600);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Embedded H2 file (gateway.mv.db) at %d pushes/s for %.1f min, %s; periodic "
                        + "compaction %s; %d sent, %d acknowledged, %d errors; load average at the end %s.%n%n",
                rate, minutes, imageKb == 0 ? "no photos" : "each push with two " + imageKb + " KB photos",
                compaction ? "on" : "off", sent, acknowledged, errors, loadAverage()));
        md.append("| minute | file MB |\n|---|---|\n");
        for (long[] p : curve) {
            md.append(String.format(Locale.ROOT, "| %.1f | %.1f |%n", p[0] / 60.0, p[1] / (double) MB));
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
