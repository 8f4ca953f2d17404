package io.sophonsight.gateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.sophonsight.SophonSightSigner;

/**
 * Signed calls straight to the platform (the simulator), no gateway in between: what the platform
 * itself can take, as the reference the gateway's figures are compared with. Requests are signed by the
 * gateway's own {@link SophonSightSigner}, so they are byte for byte what the gateway would send.
 */
public final class DirectPlatformLoad implements AutoCloseable {

    /** The work of one item of a load: any number of calls through {@link #call}. */
    public interface Item {
        void send(int index) throws Exception;
    }

    private final SophonSightSigner signer;
    private final String baseUrl;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ExecutorService clientThreads = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(clientThreads).build();

    public DirectPlatformLoad(SophonSightSigner signer, String baseUrl) {
        this.signer = signer;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** One signed call; the envelope's {@code data}, or an exception when the platform refused it. */
    public JsonNode call(String path, Map<String, ?> businessFields) throws IOException, InterruptedException {
        SophonSightSigner.SignedRequest signed = signer.sign(path, businessFields);
        HttpResponse<byte[]> reply = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path + "?token=" + signed.token()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body())).build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode envelope = reply.statusCode() == 200 ? mapper.readTree(reply.body()) : null;
        if (envelope == null || envelope.path("status").asInt(-1) != 0) {
            throw new IOException(path + " answered HTTP " + reply.statusCode() + ": "
                    + new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return envelope.path("data");
    }

    /**
     * Items {@code 0..count-1} sent by {@code clients} threads, each taking the next item as soon as its
     * previous one is answered (closed loop, like the gateway's parallel split). Returns items per second;
     * fails on the first refused call.
     */
    public double run(int count, int clients, Item item) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        try {
            long start = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < count; ) {
                        item.send(i);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        clientThreads.shutdownNow();
    }
}
