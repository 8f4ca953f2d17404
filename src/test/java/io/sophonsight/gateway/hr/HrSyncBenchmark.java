package io.sophonsight.gateway.hr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.bench.BenchMetrics;
import io.sophonsight.gateway.bench.DirectPlatformLoad;
import io.sophonsight.gateway.bench.ThreadGroupCpu;
import io.sophonsight.gateway.bench.WorkCheck;
import io.sophonsight.gateway.simulator.SimulatorFaults;
import io.sophonsight.gateway.sophonsight.SophonSightPhotoUpload;
import io.sophonsight.gateway.sophonsight.SophonSightSigner;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throughput benchmark of the HR sync (not a timed test: it measures and reports, and only runs
 * with {@code -Dbench=true}; see {@code bench/run.sh} and {@code bench/hr-sync-bench.sh}). Results are
 * appended to {@code target/bench/hr-sync-results.md} as Markdown table rows and to
 * {@link BenchMetrics} for the benchmark report. The simulator's own capacity is measured after the
 * full sync, in the same JVM, so its reference is never the colder of the two.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HrSyncBenchmark extends GatewayTestSupport {

    private static final Path RESULTS = Path.of("target", "bench", "hr-sync-results.md");

    @Autowired
    @Qualifier("hrDataSource")
    DataSource hrDataSource;

    @Autowired
    @Qualifier("dataSource")
    DataSource gatewayDataSource;

    @Autowired
    SophonSightSigner signer;

    @Autowired
    HrPlatformRequests requests;

    @Autowired
    SophonSightPhotoUpload photoUploads;

    @Value("${hr.sync.parallelism}")
    int parallelism;

    /** The measured full sync's rate, for the ratio the capacity measurement that follows it reports. */
    private static double fullSyncRate;

    @Test
    @Order(1)
    void fullSyncOfTenThousandPeopleWithTwentyKilobytePhotos() throws Exception {
        int people = Integer.getInteger("bench.people", 10_000);
        List<byte[]> faces = twentyKilobyteFaces();
        // Given a gateway warmed up by smaller full syncs until the JIT compiler is quiet - it compiled for less than
        // bench.jit-quiet-share (5 %) of a whole warm-up sync's wall time - as the push benchmark warms up (the
        // simulator's direct clients measured next are small code, warm after their first thousand calls); each
        // warm-up is then forgotten: empty sync_state, empty platform
        int warmUp = Integer.getInteger("bench.warmup-people", Math.max(100, people / 10));
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        double quietShare = Double.parseDouble(System.getProperty("bench.jit-quiet-share", "0.05"));
        List<Long> jitPerWarmUp = new ArrayList<>();
        for (int round = 0; round < Integer.getInteger("bench.max-warmup-rounds", 10); round++) {
            long compiledBefore = jit.getTotalCompilationTime();
            long roundStart = System.nanoTime();
            fillHr(warmUp, (i) -> unique(faces.get(i % faces.size()), i));
            new JdbcTemplate(gatewayDataSource).update("DELETE FROM sync_state");
            assertThat(producer.requestBodyAndHeader("direct:hr-sync-run", null, "HrSyncMode", "FULL", HrSyncRun.class)
                    .getStatus()).isEqualTo("COMPLETED");
            simulator.state().reset();
            jitPerWarmUp.add(jit.getTotalCompilationTime() - compiledBefore);
            if (round > 0 && jitPerWarmUp.get(round) < quietShare * (System.nanoTime() - roundStart) / 1e6) {
                break;
            }
        }
        // And an HR with 10,000 people, each with a distinct ~20 KB JPEG, and an empty platform
        int photoBytes = fillHr(people, (i) -> unique(faces.get(i % faces.size()), i));
        new JdbcTemplate(gatewayDataSource).update("DELETE FROM sync_state");

        // When a full run syncs all of it
        Measure measure = Measure.start();
        HrSyncRun run = producer.requestBodyAndHeader("direct:hr-sync-run", null, "HrSyncMode", "FULL", HrSyncRun.class);
        Measure.Result result = measure.stop();

        // Then everyone is on the platform, each photo uploaded once; report people per second and the gateway's
        // CPU per person
        assertThat(run.getStatus()).isEqualTo("COMPLETED");
        assertThat(simulator.state().people()).hasSize(people);
        WorkCheck uploads = uploadsEqualPeople(String.format("full sync, parallelism %d", parallelism), people);
        fullSyncRate = people / result.wallSeconds();
        BenchMetrics.record("hr.full.cpu", String.format("HR full sync: gateway CPU per person, parallelism %d", parallelism),
                result.gatewayCpuSeconds() * 1000 / people, "ms", String.format("process CPU %.1f s minus the simulator's "
                        + "threads %.1f s, over %,d people (GC and JIT threads count as the gateway's)%s",
                        result.cpuSeconds(), result.cpuSeconds() - result.gatewayCpuSeconds(), people, result.perUnit(people)));
        BenchMetrics.record("hr.full.cpu.work", String.format("HR full sync: CPU per person of the gateway's working threads, "
                        + "parallelism %d", parallelism), result.workMs(people), "ms", "HTTP, Camel, JDBC threads; without "
                        + "JIT compilation, garbage collection and the simulator (steady-state cost)");
        report(String.format("| full sync, %,d people, photos avg %,d bytes%s | %d | %.1f s | %.0f people/s | %.1f s | %,d MB |",
                people, photoBytes / people, uploads.mark(), parallelism, result.wallSeconds(), people / result.wallSeconds(),
                result.cpuSeconds(), result.peakHeapMb()));
        BenchMetrics.record("hr.full.rate", String.format("HR full sync, %,d people, parallelism %d", people, parallelism),
                people / result.wallSeconds(), "people/s", String.format(
                        "photo upload + addOrEdit per person, photos avg %,d bytes; after %d warm-up syncs of %,d people "
                                + "(JIT ms per warm-up: %s); "
                                + "%.1f s wall, %.1f s CPU, peak heap %,d MB%s",
                        photoBytes / people, jitPerWarmUp.size(), warmUp, jitPerWarmUp, result.wallSeconds(),
                        result.cpuSeconds(), result.peakHeapMb(),
                        uploads.mark()));
        assertThat(uploads.valid()).as(uploads.describe()).isTrue();
    }

    @Test
    @Order(2)
    void simulatorCapacityAtTheSyncParallelism() throws Exception {
        int people = Integer.getInteger("bench.people", 10_000);
        List<byte[]> faces = twentyKilobyteFaces();
        try (DirectPlatformLoad platform = new DirectPlatformLoad(signer, simulatorUrl(""))) {
            // Given the sample orgs and one uploaded face on an empty platform, sent straight to it (no gateway)
            for (HrSampleData.Department d : HrSampleData.departments()) {
                platform.call(HrSyncTestSupport.ORG_ADD, requests.org(
                        new HrChange.OrgUpsert(d.id(), d.name(), d.parentId() == null ? "" : d.parentId(), "", true)));
            }
            String face = platform.call(HrSyncTestSupport.UPLOAD, photoUploads.request(person(0).getThirdId(), faces.get(0)))
                    .path("photoId").asText();

            // When as many clients as the sync's people step send one addOrEdit per person, the gateway's exact bodies
            double addOrEdits = platform.run(people, parallelism, i -> {
                HrChange.PersonUpsert person = person(i + 1);
                person.photoUploaded(face);
                platform.call(HrSyncTestSupport.PERSON_ADD, requests.person(person));
            });
            // And, for as many other people, the sync's whole work per person: photo upload, then addOrEdit
            Measure direct = Measure.start();
            double uploadsAndAddOrEdits = platform.run(people, parallelism, i -> {
                HrChange.PersonUpsert person = person(people + i + 1);
                person.photoUploaded(platform.call(HrSyncTestSupport.UPLOAD,
                        photoUploads.request(person.getThirdId(), unique(faces.get(i % faces.size()), i))).path("photoId").asText());
                platform.call(HrSyncTestSupport.PERSON_ADD, requests.person(person));
            });

            Measure.Result directCost = direct.stop();
            // Then every one of them is on the platform; report the rates, and the full sync's (measured just before,
            // in this JVM) as a share of the same work sent straight to the simulator
            assertThat(simulator.state().people()).hasSize(2 * people);
            if (fullSyncRate > 0) {
                BenchMetrics.record("hr.full.ratio", String.format(
                                "HR full sync / simulator upload + addOrEdit capacity, parallelism %d", parallelism),
                        fullSyncRate / uploadsAndAddOrEdits, "x", String.format("target >= 0.8; %.0f / %.0f people/s, "
                                + "measured one after the other in one JVM", fullSyncRate, uploadsAndAddOrEdits));
            }
            BenchMetrics.record("hr.capacity.addOrEdit", String.format(
                            "Simulator capacity: addOrEdit called directly, %d clients", parallelism),
                    addOrEdits, "calls/s", "signed HTTP straight to the simulator, no gateway; " + people + " people");
            BenchMetrics.record("hr.capacity.person", String.format(
                            "Simulator capacity: photo upload + addOrEdit directly, %d clients", parallelism),
                    uploadsAndAddOrEdits, "people/s", String.format("the sync's two calls per person, no gateway; %d people; "
                            + "client CPU %.2f ms per person (process CPU minus the simulator's threads), simulator CPU "
                            + "%.2f ms per person", people, directCost.gatewayCpuSeconds() * 1000 / people,
                            (directCost.cpuSeconds() - directCost.gatewayCpuSeconds()) * 1000 / people));
        }
    }

    @Test
    @Order(3)
    void fullSyncAgainstAPlatformAnsweringEveryCallAfterTwentyMilliseconds() throws Exception {
        int people = Integer.getInteger("bench.latency-people", 2_000);
        long latencyMs = Long.getLong("bench.latency-ms", 20);
        List<byte[]> faces = twentyKilobyteFaces();
        // Given a platform that answers every upload and addOrEdit after 20 ms (a realistic platform: the
        // simulator's DELAY fault on both paths), an HR of 2,000 people with ~20 KB faces, an empty platform
        fillHr(people, (i) -> unique(faces.get(i % faces.size()), i));
        new JdbcTemplate(gatewayDataSource).update("DELETE FROM sync_state");
        simulator.state().reset();
        simulator.state().keepPhotoBytes(false);
        for (String path : List.of(HrSyncTestSupport.UPLOAD, HrSyncTestSupport.PERSON_ADD)) {
            simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.DELAY, path, 0, -1, 0, 0, null, latencyMs,
                    null, null));
        }
        try {
            // When a full run syncs all of it
            Measure measure = Measure.start();
            HrSyncRun run = producer.requestBodyAndHeader("direct:hr-sync-run", null, "HrSyncMode", "FULL", HrSyncRun.class);
            Measure.Result result = measure.stop();

            // Then everyone is on the platform; report the rate against the ideal parallelism / (2 x latency):
            // two calls per person, each waiting the latency, parallelism people at a time
            assertThat(run.getStatus()).isEqualTo("COMPLETED");
            assertThat(simulator.state().people()).hasSize(people);
            double rate = people / result.wallSeconds();
            double ideal = parallelism * 1000.0 / (2 * latencyMs);
            report(String.format("| full sync, platform latency %d ms, %,d people | %d | %.1f s | %.0f people/s (ideal %.0f, %.2f x) "
                            + "| %.1f s | %,d MB |", latencyMs, people, parallelism, result.wallSeconds(), rate, ideal, rate / ideal,
                    result.cpuSeconds(), result.peakHeapMb()));
            BenchMetrics.record("hr.latency.ratio", String.format(
                            "HR full sync at %d ms platform latency / ideal parallelism / (2 x %d ms), parallelism %d",
                            latencyMs, latencyMs, parallelism), rate / ideal, "x",
                    String.format("target >= 0.9; %.0f people/s against the ideal %.0f people/s, %,d people; gateway CPU "
                            + "%.2f ms per person%s", rate, ideal, people, result.gatewayCpuSeconds() * 1000 / people,
                            result.perUnit(people)));
        } finally {
            simulator.faults().clear();
            simulator.state().keepPhotoBytes(true);
        }
    }

    @Test
    @Order(4)
    void noChangeReconciliationOfOneHundredThousandPeople() throws Exception {
        int people = Integer.getInteger("bench.reconcile-people", 100_000);
        // Given an HR with 100,000 people (sample-sized ~3 KB photos) that the platform already holds:
        // sync_state is written as a completed full sync would have left it
        List<byte[]> faces = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            faces.add(HrSampleData.face(70_000 + i, 96));
        }
        fillHr(people, i -> unique(faces.get(i % faces.size()), i));
        seedSyncStateAsSynced();

        // When a full reconciliation runs and finds nothing to do
        Measure measure = Measure.start();
        HrSyncRun run = producer.requestBodyAndHeader("direct:hr-sync-run", null, "HrSyncMode", "FULL", HrSyncRun.class);
        Measure.Result result = measure.stop();

        // Then nothing was sent; report wall time, CPU time, platform calls and peak heap
        assertThat(run.getStatus()).isEqualTo("COMPLETED");
        assertThat(run.getUnchanged()).isEqualTo(people + HrSampleData.departments().size());
        assertThat(simulator.state().calls(HrSyncTestSupport.PERSON_ADD)).isZero();
        report(String.format("| no-change reconciliation, %,d people | %d | %.1f s | %.0f people/s | %.1f s | %,d MB |",
                people, parallelism, result.wallSeconds(), people / result.wallSeconds(), result.cpuSeconds(),
                result.peakHeapMb()));
        @SuppressWarnings("unchecked")
        Map<String, Long> calls = (Map<String, Long>) simulator.state().snapshot().get("calls");
        long writes = List.of(HrSyncTestSupport.UPLOAD, HrSyncTestSupport.PERSON_ADD, HrSyncTestSupport.PERSON_DELETE,
                HrSyncTestSupport.ORG_ADD, HrSyncTestSupport.ORG_DELETE).stream().mapToLong(p -> calls.getOrDefault(p, 0L)).sum();
        String label = String.format("No-change reconciliation, %,d people", people);
        BenchMetrics.record("hr.nochange.seconds", label + ": time", result.wallSeconds(), "s",
                String.format("%,.0f people/s, %.1f s CPU", people / result.wallSeconds(), result.cpuSeconds()));
        BenchMetrics.record("hr.nochange.calls", label + ": platform calls",
                calls.values().stream().mapToLong(Long::longValue).sum(), "calls", "of which writes: " + writes);
        BenchMetrics.record("hr.nochange.heap", label + ": peak heap", result.peakHeapMb(), "MB",
                "heap in use sampled every 20 ms, whole JVM (gateway, simulator, both H2)");
    }

    // ------------------------------------------------------------------ set-up

    /** 100 different ~20 KB JPEG faces (made distinct per person with {@link #unique}). */
    private static List<byte[]> twentyKilobyteFaces() {
        List<byte[]> faces = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            faces.add(HrSampleData.face(50_000 + i, 640));
        }
        return faces;
    }

    /** A new person as the planner would send it, in one of the sample's departments. */
    private static HrChange.PersonUpsert person(int i) {
        List<HrSampleData.Department> homes = HrSampleData.departments().subList(1, HrSampleData.departments().size());
        return new HrChange.PersonUpsert(String.format("C%06d", i), "Capacity Person " + i, homes.get(i % homes.size()).id(),
                "J" + i, "c" + i + "@example.com", "139" + String.format("%08d", i), "", "", false, null, null, true, null, false);
    }

    /** Empties HR and puts the sample's department tree back; answers the departments people may belong to. */
    static List<HrSampleData.Department> emptyHrWithTheSampleDepartments(JdbcTemplate hr) {
        hr.update("DELETE FROM employee");
        hr.update("DELETE FROM department");
        Timestamp at = Timestamp.valueOf(HrSampleData.SAMPLE_UPDATED_AT);
        for (HrSampleData.Department d : HrSampleData.departments()) {
            hr.update("INSERT INTO department (id, name, parent_id, updated_at) VALUES (?, ?, ?, ?)", d.id(), d.name(), d.parentId(), at);
        }
        return HrSampleData.departments().subList(1, HrSampleData.departments().size());
    }

    private int fillHr(int people, java.util.function.IntFunction<byte[]> photo) {
        JdbcTemplate hr = new JdbcTemplate(hrDataSource);
        List<HrSampleData.Department> homes = emptyHrWithTheSampleDepartments(hr);
        Timestamp at = Timestamp.valueOf(HrSampleData.SAMPLE_UPDATED_AT);
        int total = 0;
        List<Object[]> batch = new ArrayList<>();
        for (int i = 1; i <= people; i++) {
            byte[] bytes = photo.apply(i);
            total += bytes.length;
            batch.add(new Object[] {String.format("B%06d", i), "Bench Person " + i, homes.get(i % homes.size()).id(),
                    "J" + i, "b" + i + "@example.com", "139" + String.format("%08d", i), bytes, at});
            if (batch.size() == 1000) {
                insert(hr, batch);
            }
        }
        insert(hr, batch);
        return total;
    }

    private static void insert(JdbcTemplate hr, List<Object[]> batch) {
        hr.batchUpdate("INSERT INTO employee (id, name, department_id, job_number, email, mobile, photo, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch);
        batch.clear();
    }

    /** Writes sync_state exactly as the planner would compare it: same hashes, all synced. */
    private void seedSyncStateAsSynced() {
        JdbcTemplate gateway = new JdbcTemplate(gatewayDataSource);
        gateway.update("DELETE FROM sync_state");
        Timestamp now = new Timestamp(System.currentTimeMillis());
        for (HrSampleData.Department d : HrSampleData.departments()) {
            gateway.update("INSERT INTO sync_state (kind, third_id, parent_id, content_hash, synced_at) VALUES ('ORG', ?, ?, ?, ?)",
                    d.id(), d.parentId(), HrSyncPlanner.hash(d.name(), d.parentId()), now);
        }
        List<Object[]> batch = new ArrayList<>();
        new JdbcTemplate(hrDataSource).query("SELECT id, name, department_id, job_number, email, mobile, photo FROM employee", rs -> {
            batch.add(new Object[] {rs.getString(1), rs.getString(3),
                    HrSyncPlanner.hash(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)),
                    HrSyncPlanner.sha256(rs.getBytes(7)), "photo-" + rs.getString(1), now});
            if (batch.size() == 1000) {
                seed(gateway, batch);
            }
        });
        seed(gateway, batch);
    }

    private static void seed(JdbcTemplate gateway, List<Object[]> batch) {
        gateway.batchUpdate("INSERT INTO sync_state (kind, third_id, parent_id, content_hash, photo_hash, photo_id, synced_at) "
                + "VALUES ('PERSON', ?, ?, ?, ?, ?, ?)", batch);
        batch.clear();
    }

    /**
     * A rate of people per second counts real work only if each person's distinct photo was uploaded once: a
     * retried upload (or one skipped) makes the run invalid, reported as such.
     */
    private WorkCheck uploadsEqualPeople(String measurement, int people) {
        return new WorkCheck(measurement, people, "people synced", simulator.state().calls(HrSyncTestSupport.UPLOAD),
                "photo uploads");
    }

    /** The same face with the person's id appended after the JPEG end marker: valid, and distinct bytes per person. */
    private static byte[] unique(byte[] face, int i) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(face.length + 16);
        out.writeBytes(face);
        out.writeBytes(("#" + i).getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void report(String row) throws IOException {
        System.out.println("BENCH " + row);
        Files.createDirectories(RESULTS.getParent());
        Files.writeString(RESULTS, row + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Wall time, process CPU time, the gateway's share of it (process CPU minus the simulator's threads) and peak
     * heap (heap in use, sampled every 20 ms) of one measured step.
     */
    static final class Measure {
        /** {@code split}: the process CPU by kind of thread ({@link ThreadGroupCpu}): work, JIT, GC, simulator. */
        record Result(double wallSeconds, double cpuSeconds, double gatewayCpuSeconds, long peakHeapMb, long peakAfterGcMb,
                      long liveAtEndMb, Map<String, Double> split) {

            /** "CPU per person: work 1.80 ms, JIT compiler 0.60 ms, ..." over {@code units}. */
            String perUnit(long units) {
                return split.isEmpty() ? "" : "; CPU by thread kind per person: " + ThreadGroupCpu.perUnit(split, units);
            }

            /** Milliseconds per unit of the threads doing the gateway's work (not JIT, GC, simulator): the steady-state cost. */
            double workMs(long units) {
                return split.getOrDefault(ThreadGroupCpu.WORK, 0.0) * 1000 / units;
            }
        }

        private final long wallStart = System.nanoTime();
        private final long cpuStart = cpu();
        private final long simulatorCpuStart = simulatorCpu();
        private final ThreadGroupCpu threadGroups = ThreadGroupCpu.start();
        private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.ScheduledExecutorService sampler =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "bench-heap-sampler");
                    t.setDaemon(true);
                    return t;
                });

        /**
         * Largest heap left in use right after a full collection during the step (0 when none ran): the live data
         * at that moment. After a young collection the old generation still holds garbage, so those do not count.
         */
        private final java.util.concurrent.atomic.AtomicLong peakAfterGc = new java.util.concurrent.atomic.AtomicLong();
        private final javax.management.NotificationListener gcListener = (notification, handback) -> {
            if (com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                com.sun.management.GarbageCollectionNotificationInfo info = com.sun.management.GarbageCollectionNotificationInfo
                        .from((javax.management.openmbean.CompositeData) notification.getUserData());
                if (!"end of major GC".equals(info.getGcAction())) {
                    return;
                }
                long after = 0;
                for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    var usage = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                    if (usage != null && pool.getType() == java.lang.management.MemoryType.HEAP) {
                        after += usage.getUsed();
                    }
                }
                peakAfterGc.accumulateAndGet(after, Math::max);
            }
        };

        private Measure() {
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((javax.management.NotificationEmitter) gc).addNotificationListener(gcListener, null, null);
            }
            sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max), 0, 20,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        static Measure start() {
            System.gc();
            return new Measure();
        }

        Result stop() {
            double wall = (System.nanoTime() - wallStart) / 1e9;
            double cpuSeconds = (cpu() - cpuStart) / 1e9;
            double simulatorSeconds = (simulatorCpu() - simulatorCpuStart) / 1e9;
            Map<String, Double> split = threadGroups.stop();
            sampler.shutdownNow();
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                try {
                    ((javax.management.NotificationEmitter) gc).removeNotificationListener(gcListener);
                } catch (javax.management.ListenerNotFoundException ignored) {
                    // not registered on this collector
                }
            }
            System.gc();
            long liveAtEnd = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            return new Result(wall, cpuSeconds, cpuSeconds - simulatorSeconds, peak.get() / (1024 * 1024),
                    peakAfterGc.get() / (1024 * 1024), liveAtEnd / (1024 * 1024), split);
        }

        private static long cpu() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        /** CPU time of the simulator's threads (its fixed pool and the JDK HTTP server's dispatcher), which live all run. */
        static long simulatorCpu() {
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long total = 0;
            for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && (info.getThreadName().startsWith("sophonsight-simulator")
                        || info.getThreadName().startsWith("HTTP-Dispatcher"))) {
                    total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                }
            }
            return total;
        }
    }
}
