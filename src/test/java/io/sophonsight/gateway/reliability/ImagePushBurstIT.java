package io.sophonsight.gateway.reliability;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sophonsight.gateway.events.AccessEvent;
import io.sophonsight.gateway.events.AccessEventStore;
import io.sophonsight.gateway.testkit.GatewayProcess;
import io.sophonsight.gateway.testkit.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst of large image pushes against the packaged gateway in the production sizing of k8s/ (heap 512 MB,
 * {@code -XX:+ExitOnOutOfMemoryError}): {@code reliability.burst.clients} (256) clients each push access
 * records of about 2 MB (three base64 images of ~650 KB, as AI boxes send at a shift change) for
 * {@code reliability.burst.seconds} (15 here; 60 in {@code bench/reliability.sh}); a client answered 503
 * waits the {@code Retry-After} and resends the same pass, as the platform does. Without the in-flight
 * budget 32 such clients ended the process with an OutOfMemoryError.
 *
 * <p>Then: the process never ran out of memory and stayed ready (its readiness probe answered 200 all along),
 * every answer was 200 SUCCESS or 503 with {@code Retry-After} (no 500, no broken connection), and the
 * {@code access_event} rows are exactly the acknowledged passes (none missing, none stored unacknowledged;
 * the dedupe key is unique, so none twice). The bodies are generated while they are sent, from one shared
 * image: the load generator never holds 256 bodies. Figures: acknowledged per second, peak heap (G1's log).
 */
class ImagePushBurstIT {

    private static final String KEY = "image-burst-" + Long.toHexString(System.nanoTime());
    private static final Pattern GC_HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @Test
    void burstOfLargeImagePushesIsAnswered200Or503WithoutOutOfMemoryAndEveryAcknowledgedPassIsStoredOnce() throws Exception {
        int clients = ReliabilityReport.size("reliability.burst.clients", 256);
        int seconds = ReliabilityReport.size("reliability.burst.seconds", 15);
        int imageBytes = ReliabilityReport.size("reliability.burst.image-bytes", 487_500);

        // Given the packaged gateway with a 512 MB heap that exits on an OutOfMemoryError, its push budget sized from the heap
        GatewayProcess gateway = GatewayProcess.gateway("image-burst");
        Path gcLog = gateway.dataDir().resolveSibling(gateway.dataDir().getFileName() + "-gc.log");
        TestDatabase database = gateway.readableWhileRunning();
        gateway.env("GATEWAY_PUSH_KEY", KEY)
                .withoutSchedules()
                .jvmOption("-XX:+ExitOnOutOfMemoryError")
                .jvmOption("-Xlog:gc:file=" + gcLog);
        try (gateway) {
            gateway.start().awaitReady(Duration.ofSeconds(480)); // a shared 2-core machine under load starts it slowly
            Map<String, Double> before = metrics(gateway);
            byte[] image = Base64.getEncoder().encode(jpeg(imageBytes));
            URI push = URI.create(gateway.baseUrl() + "/sophonsight/access-records?key=" + KEY);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();

            // When the clients push distinct passes of ~2 MB for the given time, resending after each 503
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger busy = new AtomicInteger();
            AtomicInteger busyWithoutRetryAfter = new AtomicInteger();
            List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
            AtomicLong bytesSent = new AtomicLong();
            AtomicLong passTimes = new AtomicLong(System.currentTimeMillis() - Duration.ofDays(2).toMillis());
            long startedAt = System.nanoTime();
            long deadline = startedAt + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> load = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                String client = "B" + c;
                Thread thread = new Thread(() -> {
                    for (int n = 0; System.nanoTime() < deadline; n++) {
                        String person = client + "-" + n;
                        long passTime = passTimes.incrementAndGet();
                        byte[] head = ("{\"userId\":\"" + person + "\",\"userName\":\"Burst " + person + "\",\"userType\":\"MEMBER\","
                                + "\"matchScore\":0.91,\"crossTime\":" + passTime + ",\"deviceId\":\"BOX-BURST\",\"cameraId\":\"CAM-1\","
                                + "\"userPhoto\":\"").getBytes(StandardCharsets.UTF_8);
                        while (System.nanoTime() < deadline) {
                            sent.incrementAndGet();
                            HttpResponse<String> answer;
                            try {
                                answer = http.send(request(push, head, image), HttpResponse.BodyHandlers.ofString());
                            } catch (IOException e) {
                                unexpected.add(person + ": " + e);
                                return;
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                            bytesSent.addAndGet(length(head, image));
                            if (answer.statusCode() == 200 && answer.body().contains("SUCCESS")) {
                                acknowledged.add(dedupeKey(person, passTime));
                                break;
                            }
                            if (answer.statusCode() != 503) {
                                unexpected.add(person + ": HTTP " + answer.statusCode() + " " + answer.body());
                                return;
                            }
                            busy.incrementAndGet();
                            long retryAfter = answer.headers().firstValueAsLong("Retry-After").orElse(-1);
                            if (retryAfter < 0) {
                                busyWithoutRetryAfter.incrementAndGet();
                            }
                            // the platform waits as long as it is told before it sends the same pass again
                            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(Math.max(1, retryAfter)));
                        }
                    }
                }, "burst-client-" + c);
                thread.start();
                load.add(thread);
            }
            // (while the load runs: the readiness probe, as Kubernetes asks it, and the in-flight gauge)
            List<String> notReady = Collections.synchronizedList(new ArrayList<>());
            AtomicLong slowestProbe = new AtomicLong();
            AtomicLong maxInFlight = new AtomicLong();
            await("the burst").atMost(Duration.ofSeconds(seconds + 240L)).pollInterval(Duration.ofMillis(500)).until(() -> {
                long probeStart = System.nanoTime();
                try {
                    int status = gateway.management("/actuator/health/readiness").statusCode();
                    if (status != 200) {
                        notReady.add("HTTP " + status);
                    }
                    maxInFlight.accumulateAndGet(metrics(gateway).getOrDefault("gateway_push_in_flight_bytes", 0.0).longValue(), Math::max);
                } catch (IOException e) {
                    notReady.add(e.toString());
                }
                slowestProbe.accumulateAndGet(System.nanoTime() - probeStart, Math::max);
                return !gateway.isAlive() || load.stream().noneMatch(Thread::isAlive);
            });
            for (Thread client : load) {
                client.join(120_000);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startedAt);

            // Then the process is alive and ready, never out of memory
            assertThat(gateway.isAlive()).as("gateway alive after the burst:\n" + gateway.logTail()).isTrue();
            assertThat(gateway.management("/actuator/health/readiness").statusCode()).isEqualTo(200);
            assertThat(notReady).as("readiness probes that failed during the burst").isEmpty();
            assertThat(Files.readString(gateway.logFile())).doesNotContain("OutOfMemoryError");
            // And every answer was 200 SUCCESS or 503 with Retry-After
            assertThat(unexpected).as("answers other than 200 SUCCESS or 503").isEmpty();
            assertThat(busyWithoutRetryAfter.get()).as("503 answers without Retry-After").isZero();
            assertThat(acknowledged).as("acknowledged passes").isNotEmpty();
            // And the pushes in flight stayed within the budget
            Map<String, Double> after = metrics(gateway);
            double budget = after.get("gateway_push_in_flight_budget_bytes");
            assertThat((double) maxInFlight.get()).as("bytes of pushes in flight (sampled)").isLessThanOrEqualTo(budget);
            double refused = after.get("gateway_push_overloaded_total{receiver=\"access\"}")
                    - before.getOrDefault("gateway_push_overloaded_total{receiver=\"access\"}", 0.0);
            assertThat(refused).as("503s counted by the gateway").isEqualTo(busy.get());

            // And the stored events are exactly the acknowledged passes
            Set<String> stored = new HashSet<>();
            int rows;
            try (Connection db = database.connect();
                 Statement sql = db.createStatement()) {
                try (ResultSet rs = sql.executeQuery("SELECT dedupe_key FROM access_event")) {
                    while (rs.next()) {
                        stored.add(rs.getString(1));
                    }
                }
                try (ResultSet rs = sql.executeQuery("SELECT COUNT(*) FROM access_event")) {
                    rs.next();
                    rows = rs.getInt(1);
                }
            }
            Set<String> missing = new HashSet<>(acknowledged);
            missing.removeAll(stored);
            Set<String> unacknowledged = new HashSet<>(stored);
            unacknowledged.removeAll(acknowledged);
            assertThat(missing).as("acknowledged passes not stored").isEmpty();
            assertThat(unacknowledged).as("passes stored but never acknowledged").isEmpty();
            assertThat(rows).as("rows (each pass once)").isEqualTo(acknowledged.size());

            long[] heap = heapFromGcLog(gcLog);
            ReliabilityReport.of("ImagePushBurstIT", "A burst of 2 MB image pushes into a 512 MB heap",
                            clients + " clients push access records of " + String.format(java.util.Locale.ROOT, "%.1f MB",
                                    length(new byte[200], image) / 1e6) + " (three base64 images) for " + seconds
                                    + " s into the packaged gateway (-Xmx512m -XX:+ExitOnOutOfMemoryError), resending after "
                                    + "each 503 as told by Retry-After: no OutOfMemoryError, ready throughout, every answer "
                                    + "200 or 503, every acknowledged pass stored exactly once.")
                    .table("figure", "value")
                    .row("pushes sent (with resends)", sent.get())
                    .row("acknowledged (200 SUCCESS)", acknowledged.size())
                    .row("acknowledged per second", acknowledged.size() / (elapsed.toMillis() / 1000.0))
                    .row("answered 503 + Retry-After (resent later)", busy.get())
                    .row("other answers, broken connections", unexpected.size())
                    .row("rows in access_event / missing / unacknowledged", rows + " / " + missing.size() + " / " + unacknowledged.size())
                    .row("MB sent (with resends)", bytesSent.get() / 1_000_000)
                    .row("in-flight budget (auto: heap share / expansion)", String.format(java.util.Locale.ROOT, "%.1f MB", budget / 1e6))
                    .row("most bytes in flight (sampled each probe)", String.format(java.util.Locale.ROOT, "%.1f MB", maxInFlight.get() / 1e6))
                    .row("peak heap before a GC / most heap after a GC (G1 log)", heap[0] + " MB / " + heap[1] + " MB of " + heap[2] + " MB")
                    .row("full GCs", heap[3])
                    .row("readiness probes failed / slowest", notReady.size() + " / "
                            + String.format(java.util.Locale.ROOT, "%.2f s", slowestProbe.get() / 1e9))
                    .row("load duration (until the last answer)", elapsed)
                    .write();
        }
    }

    /** A push whose body is streamed from the shared image, with a Content-Length as the platform sends it. */
    private static HttpRequest request(URI push, byte[] head, byte[] image) {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> body(head, image)), length(head, image));
        return HttpRequest.newBuilder(push).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(body).build();
    }

    private static final byte[] BETWEEN_1 = "\",\"crossSrcPhoto\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BETWEEN_2 = "\",\"crossFacePhoto\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "\"}".getBytes(StandardCharsets.US_ASCII);

    private static InputStream body(byte[] head, byte[] image) {
        return new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(head),
                new ByteArrayInputStream(image), new ByteArrayInputStream(BETWEEN_1), new ByteArrayInputStream(image),
                new ByteArrayInputStream(BETWEEN_2), new ByteArrayInputStream(image), new ByteArrayInputStream(TAIL))));
    }

    private static long length(byte[] head, byte[] image) {
        return head.length + 3L * image.length + BETWEEN_1.length + BETWEEN_2.length + TAIL.length;
    }

    /** Bytes that start like a JPEG, so the fan-out names the files .jpg; the rest is noise (base64 does not compress). */
    private static byte[] jpeg(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xd8;
        return bytes;
    }

    private static String dedupeKey(String person, long passTime) {
        return AccessEventStore.dedupeKey(Map.of(AccessEvent.PERSON_ID, person, AccessEvent.PASS_TIME, passTime));
    }

    /** The gateway's Prometheus samples (name with labels -> value). */
    private static Map<String, Double> metrics(GatewayProcess gateway) throws IOException {
        Map<String, Double> samples = new java.util.HashMap<>();
        for (String line : gateway.management("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith("gateway_push_")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space).replace(",}", "}"), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    /** Peak heap before a collection, most heap left after one, heap size (MB), number of full GCs. */
    private static long[] heapFromGcLog(Path gcLog) throws IOException {
        long[] heap = new long[4];
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_HEAP.matcher(line);
            if (m.find()) {
                heap[0] = Math.max(heap[0], Long.parseLong(m.group(1)));
                heap[1] = Math.max(heap[1], Long.parseLong(m.group(2)));
                heap[2] = Math.max(heap[2], Long.parseLong(m.group(3)));
            }
            if (line.contains("Pause Full")) {
                heap[3]++;
            }
        }
        return heap;
    }
}
