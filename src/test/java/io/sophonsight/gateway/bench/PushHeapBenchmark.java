package io.sophonsight.gateway.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import io.sophonsight.gateway.push.PushTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heap a large push costs: bytes the gateway's threads allocate per byte of push body, for access records
 * of three base64 images (~650 KB each, ~2 MB a push), the fan-out paused (it is not part of a push in flight).
 * This is the expansion factor behind {@code push.in-flight.expansion}: an upper bound of what one push holds
 * at once, since whatever it allocates can be alive together before the next collection. Run with
 * {@code mvn -B -Pbench test -Dtest=PushHeapBenchmark} (options {@code -Dbench.heap.pushes=40},
 * {@code -Dbench.heap.image-bytes=487500}); report in {@code target/bench/push-heap.md}.
 */
class PushHeapBenchmark extends PushTestSupport {

    private static final int PUSHES = Integer.getInteger("bench.heap.pushes", 40);
    private static final int IMAGE_BYTES = Integer.getInteger("bench.heap.image-bytes", 487_500);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void heapAllocatedPerByteOfALargeImagePush() throws Exception {
        byte[] image = new byte[IMAGE_BYTES];
        new Random(1).nextBytes(image);
        image[0] = (byte) 0xff;
        image[1] = (byte) 0xd8;
        String base64 = Base64.getEncoder().encodeToString(image);
        URI push = URI.create(gatewayUrl(ACCESS_PATH + "?key=" + pushKey.value()));
        long passTime = System.currentTimeMillis() - Duration.ofDays(30).toMillis() + (System.nanoTime() % 1_000_000);

        camelContext.getRouteController().stopRoute("access-event-fanout-poller");
        try {
            // warm-up: the first pushes load classes and compile code, which allocates too
            for (int i = 0; i < 10; i++) {
                send(push, body("HEAP-W" + i, passTime++, base64));
            }
            long bodyBytes = 0;
            long allocated = 0;
            for (int i = 0; i < PUSHES; i++) {
                byte[] body = body("HEAP-" + i, passTime++, base64);
                Map<Long, Long> before = allocatedByThread();
                send(push, body);
                Map<Long, Long> after = allocatedByThread();
                allocated += gatewayAllocation(before, after);
                bodyBytes += body.length;
            }
            double factor = (double) allocated / bodyBytes;
            String report = String.format(Locale.ROOT, "| pushes | body size | heap allocated per push | per body byte |%n"
                            + "| ---: | ---: | ---: | ---: |%n| %d | %.2f MB | %.1f MB | %.1f |%n",
                    PUSHES, bodyBytes / (double) PUSHES / 1e6, allocated / (double) PUSHES / 1e6, factor);
            Path out = Path.of("target", "bench", "push-heap.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            System.out.println(report);
            assertThat(factor).isPositive();
        } finally {
            camelContext.getRouteController().startRoute("access-event-fanout-poller");
        }
    }

    private void send(URI push, byte[] body) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(push).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private static byte[] body(String person, long passTime, String image) {
        return ("{\"userId\":\"" + person + "\",\"userType\":\"MEMBER\",\"crossTime\":" + passTime + ",\"deviceId\":\"BOX-HEAP\","
                + "\"userPhoto\":\"" + image + "\",\"crossSrcPhoto\":\"" + image + "\",\"crossFacePhoto\":\"" + image + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Map<Long, Long> allocatedByThread() {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, Long> byThread = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            byThread.put(ids[i], bytes[i]);
        }
        return byThread;
    }

    /** What every thread but this one (the client) and the HTTP client's own allocated in between. */
    private static long gatewayAllocation(Map<Long, Long> before, Map<Long, Long> after) {
        long self = Thread.currentThread().getId();
        long total = 0;
        for (Map.Entry<Long, Long> thread : after.entrySet()) {
            if (thread.getKey() == self || thread.getValue() < 0) {
                continue;
            }
            var info = THREADS.getThreadInfo(thread.getKey());
            if (info != null && info.getThreadName().startsWith("HttpClient")) {
                continue;
            }
            total += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return total;
    }
}
