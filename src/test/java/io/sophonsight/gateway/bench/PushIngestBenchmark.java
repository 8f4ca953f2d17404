package io.sophonsight.gateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sophonsight.gateway.push.PushTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rerunnable benchmark of the access-record receiver (bench/push-benchmark.sh; never part of the
 * normal test run): sustained ingest of small events, latency at a fixed rate, and ingest of events
 * carrying three ~130 KB images, each side by side with a minimal baseline in the same JVM and
 * database: a plain JDK HTTP server that parses the JSON and commits one insert. The gateway's
 * fan-out runs meanwhile, as in production. Results: target/bench/push-benchmark.md.
 *
 * <p>Every pass is distinct (its own pass time), so each push answered "200 SUCCESS" must be a new row in the
 * receiver's table; a duplicate would be answered so too without storing anything. The report counts both per
 * row and calls a run whose counts differ an INVALID RUN ({@link WorkCheck}); the benchmark then fails.
 */
@org.springframework.test.context.TestPropertySource(properties =
        "gateway.api.body-paths=${visitors.api.path}," + PushIngestBenchmark.STACK_FLOOR_PATH)
class PushIngestBenchmark extends PushTestSupport {

    private static final int THREADS = Integer.getInteger("bench.threads", 8);
    private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup-seconds", 8));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
    private static final int FIXED_RATE = Integer.getInteger("bench.rate", 200);
    /** Slices each measurement is split into, alternating with slices of the baseline. */
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final int IMAGE_BYTES = 130 * 1024;
    /** The scenarios to run (small, rate, images): a subset makes a quicker before/after comparison. */
    private static final List<String> SCENARIOS = List.of(System.getProperty("bench.scenarios", "small,rate,images")
            .replace(" ", "").split(","));

    /**
     * The stack floor: the baseline's work (the same JSON parse, the same group-committed insert) behind the gateway's
     * fixed stack (Tomcat, its servlet filters, Spring MVC, Camel platform-http and one route), on the gateway's
     * port: an API path (key in {@code X-Api-Key}, a body allowed by the class's {@code gateway.api.body-paths}).
     * Gateway minus floor is what the gateway's push flow adds; floor minus baseline is what the stack costs
     * before any flow runs.
     */
    static final String STACK_FLOOR_PATH = "/api/bench/stack-floor";
    private static final String STACK_FLOOR_ROUTE = "bench-stack-floor";
    private static final String STACK_FLOOR = "stack floor";
    /** What the baseline and the stack floor answer, as the push receivers do. */
    private static final String SUCCESS = "{\"status\":0,\"message\":\"SUCCESS\"}";

    private static final AtomicLong PASS_TIME = new AtomicLong(1_600_000_000_000L + (System.nanoTime() % 1_000_000) * 100_000);

    @Autowired
    private DataSource dataSource;

    @Autowired
    private io.micrometer.core.instrument.MeterRegistry registry;

    @org.springframework.beans.factory.annotation.Value("${push.store.max-batch}")
    private int storeMaxBatch;

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();

    /**
     * One row of the report; {@code ratio} = events/s of the gateway / of the baseline slices interleaved with it;
     * {@code acknowledged} the pushes answered 200 SUCCESS, {@code newRows} the rows its table gained meanwhile.
     */
    record Result(String scenario, String target, double eventsPerSecond, double p50Ms, double p99Ms, double cpuMsPerEvent,
                  long peakHeapMb, long errors, Double ratio, Double rowsPerCommit, long acknowledged, long newRows) {

        /** Every acknowledged push must be a new row: a duplicate is answered SUCCESS too, but stores nothing. */
        WorkCheck workCheck() {
            return new WorkCheck(scenario + " / " + target, acknowledged, "acknowledged events", newRows, "new rows");
        }
    }

    @Test
    void ingestAgainstAPlainBaseline() throws Exception {
        HttpServer baseline = startBaseline();
        String baselineUrl = "http://localhost:" + baseline.getAddress().getPort() + "/baseline";
        String gatewayUrl = gatewayUrl(ACCESS_PATH + "?key=" + pushKey.value());
        startStackFloor();
        String floorUrl = gatewayUrl(STACK_FLOOR_PATH);
        String image = image();
        LongFunction<byte[]> small = t -> event(t, null);
        LongFunction<byte[]> withImages = t -> event(t, image);
        List<Result> results = new ArrayList<>();
        try {
            // JIT warm-up of both receivers before anything is measured, until the JIT compiler is quiet: the
            // gateway's code (Tomcat, Spring, Camel) takes far longer to compile than the baseline's, and on two
            // cores a compiler still at work was seen to double the gateway's CPU per event in the first slices
            warmUpUntilCompiled(url -> closedLoop(url, small, THREADS, WARM_UP, new Tally()), baselineUrl, gatewayUrl,
                    floorUrl);
            if (SCENARIOS.contains("images")) {
                warmUpUntilCompiled(url -> closedLoop(url, withImages, 4, WARM_UP, new Tally()), gatewayUrl);
            }
            awaitFanoutDrained();
            if (SCENARIOS.contains("small")) {
                Load load = (url, tally, duration) -> closedLoop(url, small, THREADS, duration, tally);
                String scenario = "small events, " + THREADS + " clients";
                results.addAll(compare(scenario, baselineUrl, gatewayUrl, load, true));
                results.add(stackFloor(scenario, baselineUrl, floorUrl, load));
            }
            if (SCENARIOS.contains("rate")) {
                results.addAll(compare("small events at " + FIXED_RATE + "/s", baselineUrl, gatewayUrl,
                        (url, tally, duration) -> fixedRate(url, small, duration, tally), false));
            }
            if (SCENARIOS.contains("images")) {
                results.addAll(compare("3 x 130 KB images, 4 clients", baselineUrl, gatewayUrl,
                        (url, tally, duration) -> closedLoop(url, withImages, 4, duration, tally), true));
            }
        } finally {
            baseline.stop(0);
            camelContext.getRouteController().stopRoute(STACK_FLOOR_ROUTE);
            camelContext.removeRoute(STACK_FLOOR_ROUTE);
        }
        String database = databaseName();
        String report = "Database: " + database + "\n\n" + report(results, warmUps);
        recordRatios(database, results);
        Path out = Path.of("target", "bench", database.equals("h2") ? "push-benchmark.md" : "push-benchmark-" + database + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(results).allMatch(r -> r.errors() == 0);
        assertThat(results).as("every acknowledged event a new row").allMatch(r -> r.workCheck().valid());
    }

    /** h2 or postgresql: the database the gateway and the baseline share in this run. */
    private String databaseName() throws java.sql.SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The figures issue 16 sets targets on, per database: the gateway's small-event ingest as a share of the
     * group-committing baseline's (target >= 0.7) and its CPU per event as a multiple of the baseline's
     * (target <= 1.5), for the fan-out paused (the acknowledged ingest alone) and running (as in production).
     */
    private static void recordRatios(String database, List<Result> results) {
        Result base = results.stream().filter(r -> r.scenario().startsWith("small events,") && r.target().equals("baseline"))
                .findFirst().orElse(null);
        if (base == null) {
            return;
        }
        String prefix = "push." + database + ".";
        BenchMetrics.record(prefix + "baseline.rate", "Push ingest, " + database + ": group-committing baseline",
                base.eventsPerSecond(), "events/s", String.format(Locale.ROOT, "%.2f CPU ms per event", base.cpuMsPerEvent()));
        for (Result r : results) {
            if (!r.scenario().startsWith("small events,") || r.ratio() == null) {
                continue;
            }
            String which = r.target().equals(STACK_FLOOR) ? "floor" : r.target().contains("paused") ? "paused" : "running";
            BenchMetrics.record(prefix + which + ".ratio", "Push ingest, " + database + ", " + r.target() + " / baseline",
                    r.ratio(), "x", String.format(Locale.ROOT, "%.0f vs %.0f events/s", r.eventsPerSecond(), base.eventsPerSecond()));
            BenchMetrics.record(prefix + which + ".cpu", "Push CPU per event, " + database + ", " + r.target() + " / baseline",
                    r.cpuMsPerEvent() / base.cpuMsPerEvent(), "x",
                    String.format(Locale.ROOT, "%.2f vs %.2f ms per event", r.cpuMsPerEvent(), base.cpuMsPerEvent()));
        }
    }

    /** Warm-up rounds the JIT needed (compilation time per round, ms), for the report. */
    private final List<String> warmUps = new ArrayList<>();

    interface WarmUp {
        void run(String url) throws Exception;
    }

    /**
     * Rounds of load (bench.warmup-seconds each) to every receiver in turn until a whole round added less than
     * bench.jit-quiet-ms of JIT compilation time (at most bench.max-warmup-rounds rounds).
     */
    private void warmUpUntilCompiled(WarmUp load, String... urls) throws Exception {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long quietMs = Long.getLong("bench.jit-quiet-ms", 200);
        int maxRounds = Integer.getInteger("bench.max-warmup-rounds", 20);
        List<Long> perRound = new ArrayList<>();
        for (int round = 0; round < maxRounds; round++) {
            BenchMetrics.progress("step: JIT warm-up round " + (round + 1) + " (until a round compiles < " + quietMs + " ms)");
            long before = jit.getTotalCompilationTime();
            for (String url : urls) {
                load.run(url);
            }
            long compiled = jit.getTotalCompilationTime() - before;
            perRound.add(compiled);
            if (round > 0 && compiled < quietMs) {
                break;
            }
        }
        warmUps.add(perRound.size() + " rounds of " + WARM_UP.toSeconds() + " s per receiver (JIT ms per round: "
                + perRound + ")");
    }

    /** A load sent to one receiver for a while; what it achieved is added to the tally. */
    interface Load {
        void send(String url, Tally tally, Duration duration) throws Exception;
    }

    /** Sums of the slices measured for one receiver. */
    static final class Tally {
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        /** Rows the receiver's table gained during the measured slices. */
        long newRows;
        long nanos;
        long cpuNanos;
        long peakHeapMb;
        /** Database commits of the store step (group commit) and the events they held. */
        long commits;
        double committedRows;
    }

    /**
     * One scenario against the baseline, the gateway with its fan-out paused (the acknowledged ingest
     * alone, what the baseline does) and the gateway with its fan-out running (as in production, on
     * the same CPUs). The machine is shared, so its load changes while the benchmark runs: each
     * gateway measurement is split into {@code bench.rounds} slices that alternate with slices of
     * the baseline, and its ratio is taken against those baseline slices only. The paused fan-out
     * catches up before the next measurement.
     */
    private List<Result> compare(String scenario, String baselineUrl, String gatewayUrl, Load load, boolean warmUp)
            throws Exception {
        BenchMetrics.progress("step: " + scenario);
        if (warmUp) {
            load.send(baselineUrl, new Tally(), WARM_UP);
            load.send(gatewayUrl, new Tally(), WARM_UP);
        }
        Tally baselinePaused = new Tally();
        Tally paused = new Tally();
        camelContext.getRouteController().stopRoute("access-event-fanout-poller");
        try {
            interleave(load, baselineUrl, baselinePaused, gatewayUrl, paused);
        } finally {
            camelContext.getRouteController().startRoute("access-event-fanout-poller");
        }
        awaitFanoutDrained();
        Tally baselineRunning = new Tally();
        Tally running = new Tally();
        interleave(load, baselineUrl, baselineRunning, gatewayUrl, running);
        awaitFanoutDrained();
        Result base = result(scenario, "baseline", null, baselinePaused, baselineRunning);
        Result gatewayPaused = result(scenario, "gateway, fan-out paused", baselinePaused, paused);
        Result gatewayRunning = result(scenario, "gateway, fan-out running", baselineRunning, running);
        return List.of(base, gatewayPaused, gatewayRunning);
    }

    /** {@code bench.rounds} pairs of slices, the order swapped every round so neither side always goes first. */
    private void interleave(Load load, String baselineUrl, Tally baseline, String gatewayUrl, Tally gateway) throws Exception {
        Duration slice = MEASURE.dividedBy(ROUNDS);
        for (int round = 0; round < ROUNDS; round++) {
            boolean baselineFirst = round % 2 == 0;
            measure(load, baselineFirst ? baselineUrl : gatewayUrl, baselineFirst ? baseline : gateway, slice);
            measure(load, baselineFirst ? gatewayUrl : baselineUrl, baselineFirst ? gateway : baseline, slice);
        }
    }

    private void measure(Load load, String url, Tally tally, Duration duration) throws Exception {
        System.gc();
        resetPeakHeap();
        io.micrometer.core.instrument.DistributionSummary commits = registry.get("gateway.access.event.commit.rows").summary();
        long commitsBefore = commits.count();
        double rowsBefore = commits.totalAmount();
        // the table of the receiver: the baseline's own, or the gateway's access_event
        String table = url.endsWith("/baseline") ? "bench_baseline" : url.contains(STACK_FLOOR_PATH) ? "bench_stack_floor"
                : "access_event";
        long tableRowsBefore = count("SELECT COUNT(*) FROM " + table);
        long cpu = PROCESS.getProcessCpuTime();
        long start = System.nanoTime();
        load.send(url, tally, duration);
        tally.nanos += System.nanoTime() - start;
        tally.newRows += count("SELECT COUNT(*) FROM " + table) - tableRowsBefore;
        tally.cpuNanos += PROCESS.getProcessCpuTime() - cpu;
        tally.peakHeapMb = Math.max(tally.peakHeapMb, peakHeapMb());
        tally.commits += commits.count() - commitsBefore;
        tally.committedRows += commits.totalAmount() - rowsBefore;
    }

    private void awaitFanoutDrained() {
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> count("SELECT COUNT(*) FROM access_event WHERE fanout_status = 'PENDING'") == 0);
    }

    /** {@code clients} threads sending as fast as answers come back. */
    private void closedLoop(String url, LongFunction<byte[]> body, int clients, Duration duration, Tally tally)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + duration.toNanos();
        for (int i = 0; i < clients; i++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    send(url, body.apply(PASS_TIME.incrementAndGet()), tally, System.nanoTime());
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS);
    }

    /** Open loop: one request every 1/rate s whatever the answers do, latency measured from the schedule. */
    private void fixedRate(String url, LongFunction<byte[]> body, Duration duration, Tally tally) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(32);
        long interval = 1_000_000_000L / FIXED_RATE;
        long start = System.nanoTime();
        long count = duration.toNanos() / interval;
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // pacing of the load generator, not a test wait
            }
            senders.submit(() -> send(url, body.apply(PASS_TIME.incrementAndGet()), tally, due));
        }
        senders.shutdown();
        senders.awaitTermination(60, TimeUnit.SECONDS);
    }

    /** One push; its latency counted from {@code since} (the send, or the schedule of an open loop). */
    private void send(String url, byte[] body, Tally tally, long since) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
            if (url.contains(STACK_FLOOR_PATH)) {
                request.header("X-Api-Key", API_KEY);
            }
            HttpResponse<String> reply = http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() == 200 && reply.body().contains("SUCCESS")) {
                tally.sent.incrementAndGet();
                tally.latencies.add(System.nanoTime() - since);
            } else {
                tally.errors.incrementAndGet();
            }
        } catch (Exception e) {
            tally.errors.incrementAndGet();
        }
    }

    /** The row of {@code tallies} together; the ratio against {@code baseline} when given. */
    private static Result result(String scenario, String target, Tally baseline, Tally... tallies) {
        long sent = 0;
        long errors = 0;
        long nanos = 0;
        long cpu = 0;
        long peak = 0;
        long commits = 0;
        double rows = 0;
        long newRows = 0;
        List<Long> all = new ArrayList<>();
        for (Tally t : tallies) {
            newRows += t.newRows;
            commits += t.commits;
            rows += t.committedRows;
            sent += t.sent.get();
            errors += t.errors.get();
            nanos += t.nanos;
            cpu += t.cpuNanos;
            peak = Math.max(peak, t.peakHeapMb);
            all.addAll(t.latencies);
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.50)] / 1e6;
        double p99 = sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6;
        double rate = sent / (nanos / 1e9);
        Double ratio = baseline == null ? null : rate / (baseline.sent.get() / (baseline.nanos / 1e9));
        return new Result(scenario, target, rate, p50, p99, sent == 0 ? 0 : cpu / 1e6 / sent, peak, errors, ratio,
                baseline == null || commits == 0 ? null : rows / commits, sent, newRows);
    }

    /**
     * The stack floor against the baseline, slices interleaved as in {@link #compare}; the gateway's fan-out runs
     * (it has nothing to do: the floor stores into a table of its own).
     */
    private Result stackFloor(String scenario, String baselineUrl, String floorUrl, Load load) throws Exception {
        BenchMetrics.progress("step: " + scenario + ", stack floor");
        load.send(floorUrl, new Tally(), WARM_UP);
        Tally baseline = new Tally();
        Tally floor = new Tally();
        interleave(load, baselineUrl, baseline, floorUrl, floor);
        return result(scenario, STACK_FLOOR, baseline, floor);
    }

    /** The floor's route ({@link #STACK_FLOOR_PATH}): the baseline's handler as one processor. */
    private void startStackFloor() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS bench_stack_floor (id BIGINT GENERATED BY DEFAULT AS "
                    + "IDENTITY PRIMARY KEY, dedupe_key VARCHAR(64) NOT NULL UNIQUE, event_json TEXT NOT NULL, "
                    + "received_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP)");
        }
        BaselineGroupCommit groupCommit = new BaselineGroupCommit(dataSource,
                "INSERT INTO bench_stack_floor (dedupe_key, event_json) VALUES (?, ?)", storeMaxBatch);
        camelContext.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:" + STACK_FLOOR_PATH + "?httpMethodRestrict=POST&useStreaming=true")
                        .routeId(STACK_FLOOR_ROUTE)
                        .process(exchange -> {
                            try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
                                storeAsTheBaselineDoes(in, groupCommit);
                            }
                            org.apache.camel.Message reply = exchange.getMessage();
                            reply.getHeaders().clear();
                            reply.setHeader("Content-Type", "application/json");
                            reply.setBody(SUCCESS);
                        });
            }
        });
    }

    /** The baseline's work on one push, also the stack floor's: the JSON parsed, one row group-committed. */
    private void storeAsTheBaselineDoes(InputStream in, BaselineGroupCommit groupCommit)
            throws IOException, java.sql.SQLException {
        byte[] body = in.readAllBytes();
        JsonNode event = mapper.readTree(body);
        groupCommit.insert(event.path("userId").asText() + "|" + event.path("crossTime").asText(),
                new String(body, StandardCharsets.UTF_8));
    }

    /**
     * The baseline: JDK HTTP server, the same JSON parse, one insert into the same database, committed with the
     * same group commit as the gateway's store step ({@link BaselineGroupCommit}, the same push.store.max-batch):
     * each request is answered after the transaction holding its row is committed.
     */
    private HttpServer startBaseline() throws IOException {
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS bench_baseline (id BIGINT GENERATED BY DEFAULT AS "
                    + "IDENTITY PRIMARY KEY, dedupe_key VARCHAR(64) NOT NULL UNIQUE, event_json TEXT NOT NULL, "
                    + "received_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP)");
        } catch (Exception e) {
            throw new IOException(e);
        }
        BaselineGroupCommit groupCommit = new BaselineGroupCommit(dataSource,
                "INSERT INTO bench_baseline (dedupe_key, event_json) VALUES (?, ?)", storeMaxBatch);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(200));
        server.createContext("/baseline", exchange -> {
            int status = 200;
            byte[] reply = SUCCESS.getBytes(StandardCharsets.UTF_8);
            try (InputStream in = exchange.getRequestBody()) {
                storeAsTheBaselineDoes(in, groupCommit);
            } catch (Exception e) {
                status = 500;
                reply = "{}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        server.start();
        return server;
    }

    private byte[] event(long passTime, String image) {
        StringBuilder json = new StringBuilder(image == null ? 300 : 3 * image.length() + 400);
        json.append("{\"userId\":\"E-").append(passTime % 5000).append("\",\"userName\":\"Bench Person\",")
                .append("\"userType\":\"MEMBER\",\"matchScore\":0.91,\"photoId\":\"p").append(passTime)
                .append(".jpg\",\"crossTime\":").append(passTime)
                .append(",\"deviceId\":\"BOX-B\",\"cameraId\":\"CAM-B\",\"cameraIp\":\"10.1.2.3\",\"cameraType\":0");
        if (image != null) {
            json.append(",\"userPhoto\":\"").append(image).append("\",\"crossSrcPhoto\":\"").append(image)
                    .append("\",\"crossFacePhoto\":\"").append(image).append('"');
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String image() {
        byte[] bytes = new byte[IMAGE_BYTES];
        ThreadLocalRandom.current().nextBytes(bytes);
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xd8;
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static void resetPeakHeap() {
        ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeapMb() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / (1024 * 1024);
    }

    static String report(List<Result> results, List<String> warmUps) {
        StringBuilder md = new StringBuilder();
        md.append("| scenario | target | events/s | p50 ms | p99 ms | CPU ms / event | peak heap MB | errors | gateway / baseline | events per commit | acknowledged | new rows |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            String ratio = r.ratio() == null ? "" : String.format(Locale.ROOT, "%.0f %%", 100 * r.ratio());
            String perCommit = r.rowsPerCommit() == null ? "" : String.format(Locale.ROOT, "%.1f", r.rowsPerCommit());
            md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f | %.2f | %d | %d | %s | %s | %d | %d |%n", r.scenario(),
                    r.target(), r.eventsPerSecond(), r.p50Ms(), r.p99Ms(), r.cpuMsPerEvent(), r.peakHeapMb(), r.errors(), ratio, perCommit,
                    r.acknowledged(), r.newRows()));
        }
        md.append('\n').append(WorkCheck.verdict(results.stream().map(Result::workCheck).toList())).append('\n');
        md.append("\nJVM: ").append(System.getProperty("java.version")).append(", max heap ")
                .append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MB, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs; ")
                .append(Arrays.toString(new String[]{"warm-up " + WARM_UP.toSeconds() + " s", "measure " + MEASURE.toSeconds()
                        + " s in " + ROUNDS + " slices alternating with the baseline"}))
                .append("; CPU = the whole JVM's (load generator and baseline included) / events answered; events per commit = ")
                .append("access events the store step committed per database transaction (group commit, push.store.max-batch)\n")
                .append("\nWarm-up until the JIT compiler is quiet: ").append(String.join("; ", warmUps)).append('\n');
        return md.toString();
    }
}
