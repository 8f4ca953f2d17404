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
import java.sql.PreparedStatement;
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
 */
class PushIngestBenchmark extends PushTestSupport {

    private static final int THREADS = Integer.getInteger("bench.threads", 8);
    private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup-seconds", 8));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
    private static final int FIXED_RATE = Integer.getInteger("bench.rate", 200);
    private static final int IMAGE_BYTES = 130 * 1024;

    private static final AtomicLong PASS_TIME = new AtomicLong(1_600_000_000_000L + (System.nanoTime() % 1_000_000) * 100_000);

    @Autowired
    private DataSource dataSource;

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();

    record Result(String scenario, String target, double eventsPerSecond, double p50Ms, double p99Ms, long peakHeapMb, long errors) {
    }

    @Test
    void ingestAgainstAPlainBaseline() throws Exception {
        HttpServer baseline = startBaseline();
        String baselineUrl = "http://localhost:" + baseline.getAddress().getPort() + "/baseline";
        String gatewayUrl = gatewayUrl(ACCESS_PATH + "?key=" + pushKey.value());
        String image = image();
        LongFunction<byte[]> small = t -> event(t, null);
        LongFunction<byte[]> withImages = t -> event(t, image);
        List<Result> results = new ArrayList<>();
        try {
            // JIT warm-up of both receivers before anything is measured, so order does not favour either
            run(baselineUrl, small, THREADS, WARM_UP.multipliedBy(2), null);
            run(gatewayUrl, small, THREADS, WARM_UP.multipliedBy(2), null);
            run(gatewayUrl, withImages, 4, WARM_UP, null);
            awaitFanoutDrained();
            results.addAll(compare("small events, " + THREADS + " clients", baselineUrl, gatewayUrl,
                    (target, url) -> closedLoop("small events, " + THREADS + " clients", target, url, small, THREADS)));
            results.addAll(compare("small events at " + FIXED_RATE + "/s", baselineUrl, gatewayUrl,
                    (target, url) -> fixedRate("small events at " + FIXED_RATE + "/s", target, url, small)));
            results.addAll(compare("3 x 130 KB images, 4 clients", baselineUrl, gatewayUrl,
                    (target, url) -> closedLoop("3 x 130 KB images, 4 clients", target, url, withImages, 4)));
        } finally {
            baseline.stop(0);
        }
        String report = report(results);
        Path out = Path.of("target", "bench", "push-benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(results).allMatch(r -> r.errors() == 0);
    }

    interface Scenario {
        Result run(String target, String url) throws Exception;
    }

    /**
     * One scenario against the baseline, the gateway with its fan-out paused (the acknowledged ingest
     * alone, what the baseline does) and the gateway with its fan-out running (as in production, on
     * the same CPUs). The paused fan-out catches up before the next measurement.
     */
    private List<Result> compare(String name, String baselineUrl, String gatewayUrl, Scenario scenario) throws Exception {
        List<Result> results = new ArrayList<>();
        results.add(scenario.run("baseline", baselineUrl));
        camelContext.getRouteController().stopRoute("access-event-fanout-poller");
        try {
            results.add(scenario.run("gateway, fan-out paused", gatewayUrl));
        } finally {
            camelContext.getRouteController().startRoute("access-event-fanout-poller");
        }
        awaitFanoutDrained();
        results.add(scenario.run("gateway, fan-out running", gatewayUrl));
        awaitFanoutDrained();
        return results;
    }

    private void awaitFanoutDrained() {
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> count("SELECT COUNT(*) FROM access_event WHERE fanout_status = 'PENDING'") == 0);
    }

    /** {@code clients} threads sending as fast as answers come back. */
    private Result closedLoop(String scenario, String target, String url, LongFunction<byte[]> body, int clients)
            throws Exception {
        run(url, body, clients, WARM_UP, null);
        System.gc();
        resetPeakHeap();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long[] outcome = run(url, body, clients, MEASURE, latencies);
        return result(scenario, target, outcome, latencies);
    }

    private long[] run(String url, LongFunction<byte[]> body, int clients, Duration duration,
                       ConcurrentLinkedQueue<Long> latencies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong sent = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int i = 0; i < clients; i++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    send(url, body.apply(PASS_TIME.incrementAndGet()), sent, errors, System.nanoTime(), latencies);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS);
        return new long[]{sent.get(), errors.get(), System.nanoTime() - start};
    }

    /** Open loop: one request every 1/rate s whatever the answers do, latency measured from the schedule. */
    private Result fixedRate(String scenario, String target, String url, LongFunction<byte[]> body) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(32);
        long interval = 1_000_000_000L / FIXED_RATE;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong sent = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        resetPeakHeap();
        long start = System.nanoTime();
        long count = MEASURE.toNanos() / interval;
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // pacing of the load generator, not a test wait
            }
            senders.submit(() -> send(url, body.apply(PASS_TIME.incrementAndGet()), sent, errors, due, latencies));
        }
        senders.shutdown();
        senders.awaitTermination(60, TimeUnit.SECONDS);
        return result(scenario, target, new long[]{sent.get(), errors.get(), System.nanoTime() - start}, latencies);
    }

    /** One push; its latency counted from {@code since} (the send, or the schedule of an open loop). */
    private void send(String url, byte[] body, AtomicLong sent, AtomicLong errors, long since,
                      ConcurrentLinkedQueue<Long> latencies) {
        try {
            HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() == 200 && reply.body().contains("SUCCESS")) {
                sent.incrementAndGet();
                if (latencies != null) {
                    latencies.add(System.nanoTime() - since);
                }
            } else {
                errors.incrementAndGet();
            }
        } catch (Exception e) {
            errors.incrementAndGet();
        }
    }

    private Result result(String scenario, String target, long[] outcome, ConcurrentLinkedQueue<Long> latencies) {
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.50)] / 1e6;
        double p99 = sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6;
        return new Result(scenario, target, outcome[0] / (outcome[2] / 1e9), p50, p99, peakHeapMb(), outcome[1]);
    }

    /** The baseline: JDK HTTP server, the same JSON parse, one committed insert into the same database. */
    private HttpServer startBaseline() throws IOException {
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS bench_baseline (id BIGINT GENERATED BY DEFAULT AS "
                    + "IDENTITY PRIMARY KEY, dedupe_key VARCHAR(64) NOT NULL UNIQUE, event_json TEXT NOT NULL, "
                    + "received_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP)");
        } catch (Exception e) {
            throw new IOException(e);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(200));
        server.createContext("/baseline", exchange -> {
            int status = 200;
            byte[] reply = "{\"status\":0,\"message\":\"SUCCESS\"}".getBytes(StandardCharsets.UTF_8);
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                JsonNode event = mapper.readTree(body);
                try (Connection c = dataSource.getConnection();
                     PreparedStatement insert = c.prepareStatement(
                             "INSERT INTO bench_baseline (dedupe_key, event_json) VALUES (?, ?)")) {
                    insert.setString(1, event.path("userId").asText() + "|" + event.path("crossTime").asText());
                    insert.setString(2, new String(body, StandardCharsets.UTF_8));
                    insert.executeUpdate();
                }
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

    private static String report(List<Result> results) {
        StringBuilder md = new StringBuilder();
        md.append("| scenario | target | events/s | p50 ms | p99 ms | peak heap MB | errors | gateway / baseline |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            String ratio = "";
            if (r.target().startsWith("gateway")) {
                Result baseline = results.get(i - (r.target().contains("paused") ? 1 : 2));
                ratio = String.format(Locale.ROOT, "%.0f %%", 100 * r.eventsPerSecond() / baseline.eventsPerSecond());
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f | %d | %d | %s |%n", r.scenario(),
                    r.target(), r.eventsPerSecond(), r.p50Ms(), r.p99Ms(), r.peakHeapMb(), r.errors(), ratio));
        }
        md.append("\nJVM: ").append(System.getProperty("java.version")).append(", max heap ")
                .append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MB, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs; ")
                .append(Arrays.toString(new String[]{"warm-up " + WARM_UP.toSeconds() + " s", "measure " + MEASURE.toSeconds() + " s"}))
                .append('\n');
        return md.toString();
    }
}
