package io.sophonsight.gateway.security;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Map;

import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.push.PushKey;
import io.sophonsight.gateway.testkit.ChunkedUpload;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing is read before it is authorised, and nothing past an endpoint's body limit is read at all: 1 GB bodies,
 * generated while they are sent, are answered long before they could have been read (the answer's status line
 * arrives while the client has sent at most a few MB: socket buffers and Tomcat's bounded swallow), and the heap
 * after them is what it was before. A gateway that reads (or drains) a body before answering fails here: its
 * answer comes only after the whole gigabyte.
 */
class UnauthorisedBodyTest extends GatewayTestSupport {

    private static final Logger LOG = LoggerFactory.getLogger(UnauthorisedBodyTest.class);
    private static final long ONE_GB = 1L << 30;
    /** Generous: the answer is expected within a second; a gateway reading 1 GB first takes longer or fails. */
    private static final int ANSWER_TIMEOUT_MS = 60_000;
    /** Most body bytes a client may have sent when the answer arrives: limit + socket buffers + swallow, far from 1 GB. */
    private static final long SENT_BEFORE_ANSWER_MAX = 64L << 20;

    /** Every key-guarded path of the gateway, with the method its route serves. */
    private static final List<String[]> GUARDED = List.of(
            new String[]{"POST", "/sophonsight/access-records"},
            new String[]{"POST", "/sophonsight/device-status"},
            new String[]{"POST", "/gateway/dead-letters/replay"},
            new String[]{"POST", "/api/visitors"},
            new String[]{"GET", "/api/visitors/0f8fad5b-d9cb-469f-a165-70867728950e"},
            new String[]{"GET", "/api/devices"},
            new String[]{"GET", "/api/photos/p-1.jpg"},
            new String[]{"POST", "/api/hr-sync/run?mode=FULL"},
            new String[]{"GET", "/api/hr-sync/status"},
            new String[]{"POST", "/api/hr-sync/confirm-deletes"},
            new String[]{"POST", "/api/a-path-a-new-flow-adds"});

    @Autowired
    private PushKey pushKey;

    @Test
    void oneGigabyteBodiesWithoutAKeyAreRefusedAtOnceOnEveryGuardedPathAndTheHeapIsUnchanged() throws Exception {
        // Given the heap in use after a collection
        long heapBefore = usedHeapAfterGc();

        for (String[] call : GUARDED) {
            // When 1 GB is streamed (chunked) without any key
            ChunkedUpload.Answer answer = ChunkedUpload.send(gatewayPort, call[0], call[1],
                    Map.of("Content-Type", "application/json"), ONE_GB, false, ANSWER_TIMEOUT_MS);
            LOG.info("{} {} without a key, 1 GB chunked: {} after {} ms, {} body bytes sent", call[0], call[1],
                    answer.status(), answer.millis(), answer.bodyBytesSentBeforeAnswer());

            // Then 401 with a JSON reason, answered before more than a few MB were sent, and the connection closed
            assertThat(answer.status()).as(call[1]).isEqualTo(401);
            assertThat(answer.body()).as(call[1]).contains("\"status\":401").contains("key");
            assertThat(answer.bodyBytesSentBeforeAnswer()).as(call[1] + ": body bytes sent before the answer")
                    .isLessThan(SENT_BEFORE_ANSWER_MAX);
            assertThat(answer.headers().get("connection")).as(call[1]).isEqualTo("close");
        }

        // And the heap holds no more than before (slack for the allocations of the test context itself)
        long heapAfter = usedHeapAfterGc();
        LOG.info("Used heap after GC: {} MB before, {} MB after {} GB refused", heapBefore >> 20, heapAfter >> 20, GUARDED.size());
        assertThat(heapAfter).isLessThan(heapBefore + (64L << 20));
    }

    @Test
    void authorisedBodiesAreCutAtTheirEndpointsLimitAndAnsweredWith413() throws Exception {
        long heapBefore = usedHeapAfterGc();
        Map<String, String> json = Map.of("Content-Type", "application/json");
        Map<String, String> api = Map.of("Content-Type", "application/json", "Authorization", "Bearer " + API_KEY);
        Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN_KEY);
        Map<String, String> multipart = Map.of("Content-Type", "multipart/form-data; boundary=b",
                "Authorization", "Bearer " + API_KEY);
        String push = "/sophonsight/access-records?key=" + pushKey.value();
        record Case(String method, String path, Map<String, String> headers, boolean declared) { }

        for (Case c : List.of(
                // the push receiver takes 16 MB: a streamed body is cut there, a declared 1 GB refused at once
                new Case("POST", push, json, false), new Case("POST", push, json, true),
                // the visitor API takes 4 MB, as JSON or multipart; the replay and the GET paths take no body at all
                new Case("POST", "/api/visitors", api, false), new Case("POST", "/api/visitors", api, true),
                new Case("POST", "/api/visitors", multipart, false),
                new Case("POST", "/gateway/dead-letters/replay", admin, false),
                new Case("POST", "/gateway/dead-letters/replay", admin, true),
                new Case("GET", "/api/devices", api, false))) {
            // When 1 GB is sent with the key
            ChunkedUpload.Answer answer = ChunkedUpload.send(gatewayPort, c.method(), c.path(), c.headers(), ONE_GB,
                    c.declared(), ANSWER_TIMEOUT_MS);
            String what = c.method() + " " + c.path().replace(pushKey.value(), "****") + (c.declared() ? " declared" : " chunked");
            LOG.info("{} with the key, 1 GB: {} after {} ms, {} body bytes sent", what, answer.status(), answer.millis(),
                    answer.bodyBytesSentBeforeAnswer());

            // Then 413 with a JSON reason, before more than the limit and a few MB of buffers were sent
            assertThat(answer.status()).as(what + ": " + answer.body()).isEqualTo(413);
            assertThat(answer.bodyBytesSentBeforeAnswer()).as(what + ": body bytes sent before the answer")
                    .isLessThan(SENT_BEFORE_ANSWER_MAX);
        }
        long heapAfter = usedHeapAfterGc();
        LOG.info("Used heap after GC: {} MB before, {} MB after the authorised 1 GB uploads", heapBefore >> 20, heapAfter >> 20);
        assertThat(heapAfter).isLessThan(heapBefore + (64L << 20));
    }

    @Test
    void aCompressedBodyIsRefusedWith415() throws Exception {
        // When a client sends a gzip-encoded registration (a few KB could expand past any limit)
        ChunkedUpload.Answer answer = ChunkedUpload.send(gatewayPort, "POST", "/api/visitors",
                Map.of("Content-Type", "application/json", "Content-Encoding", "gzip", "Authorization", "Bearer " + API_KEY),
                1024, true, ANSWER_TIMEOUT_MS);

        // Then 415 with the reason
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.body()).contains("Content-Encoding");
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
