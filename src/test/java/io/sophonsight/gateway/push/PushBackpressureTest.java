package io.sophonsight.gateway.push;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The in-flight budget over real HTTP (the test context's budget is 40 MB, {@code GatewayTestSupport}).
 * Pushes whose bodies are still arriving hold most of it (a raw socket that sent its headers with a
 * Content-Length of 16 MB and then waits); a push that does not fit next to them is answered 503 with
 * {@code Retry-After} and a JSON reason, is neither stored nor dead-lettered, and is acknowledged once
 * the platform resends it after the others are done.
 */
class PushBackpressureTest extends PushTestSupport {

    private static final long HOLD = 16_500_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    private PushBackpressureFilter budget;

    @Autowired
    private MeterRegistry registry;

    @Test
    void pushOverTheBudgetIsAnswered503WithRetryAfterNotStoredAndAcknowledgedWhenResentLater() throws Exception {
        long passTime = System.currentTimeMillis() - 3_600_000;
        byte[] imagePush = imagePush("BP-" + passTime, passTime, 9_500_000);
        int deadLetters = count("SELECT COUNT(*) FROM dead_letter");
        double refusedBefore = overloaded();

        List<Socket> holders = new ArrayList<>();
        try {
            // Given two pushes still arriving, 33 MB of the 40 MB budget reserved from their Content-Length
            holders.add(holder(HOLD));
            holders.add(holder(HOLD));
            await().atMost(Duration.ofSeconds(10)).until(() -> budget.inFlightBytes() == 2 * HOLD);

            // When a push of 9.5 MB arrives meanwhile
            HttpResponse<String> busy = send(imagePush, false);

            // Then it is answered 503 at once, with Retry-After and the reason as JSON
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(busy.body()).startsWith("{\"status\":503,\"message\":\"the gateway is busy");
            // And nothing of it was stored, nor kept as bad input; the refusal is counted
            assertThat(eventRow("BP-" + passTime, passTime)).isNull();
            assertThat(count("SELECT COUNT(*) FROM dead_letter")).isEqualTo(deadLetters);
            assertThat(overloaded()).isEqualTo(refusedBefore + 1);
            assertThat(registry.get("gateway.push.in.flight").gauge().value()).isEqualTo(2.0 * HOLD);

            // And a small push still fits next to the others
            long smallTime = passTime + 1;
            assertThat(send(imagePush("BP-small-" + smallTime, smallTime, 0), false).statusCode()).isEqualTo(200);
        } finally {
            for (Socket holder : holders) {
                holder.close();
            }
        }

        // When the held pushes are gone (their bytes are returned) and the platform sends the push again
        await().atMost(Duration.ofSeconds(10)).until(() -> budget.inFlightBytes() == 0);
        HttpResponse<String> resent = send(imagePush, false);

        // Then it is acknowledged and stored once
        assertThat(resent.statusCode()).isEqualTo(200);
        assertThat(resent.body()).isEqualTo(PushReplies.SUCCESS);
        assertThat(count("SELECT COUNT(*) FROM access_event WHERE event_json LIKE ?", "%\"BP-" + passTime + "\"%")).isEqualTo(1);
    }

    @Test
    void streamedPushThatRunsOutOfBudgetIsAnswered503WithRetryAfterAndNotDeadLettered() throws Exception {
        long passTime = System.currentTimeMillis() - 7_200_000;
        byte[] imagePush = imagePush("BS-" + passTime, passTime, 9_500_000);
        int deadLetters = count("SELECT COUNT(*) FROM dead_letter");

        try (Socket first = holder(HOLD); Socket second = holder(HOLD)) {
            // Given 33 MB of the 40 MB budget held
            await().atMost(Duration.ofSeconds(10)).until(() -> budget.inFlightBytes() == 2 * HOLD);

            // When a push of 9.5 MB streams in without a Content-Length (chunked)
            HttpResponse<String> busy = send(imagePush, true);

            // Then it is cut when the budget runs out and answered 503 with Retry-After, nothing stored or dead-lettered
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(busy.body()).contains("\"status\":503").contains("the gateway is busy");
            assertThat(eventRow("BS-" + passTime, passTime)).isNull();
            assertThat(count("SELECT COUNT(*) FROM dead_letter")).isEqualTo(deadLetters);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> budget.inFlightBytes() == 0);
    }

    private double overloaded() {
        return registry.get("gateway.push.overloaded").tag("receiver", "access").counter().count();
    }

    /** A push that sent its headers and the first bytes of its body, and then waits. */
    private Socket holder(long contentLength) throws IOException {
        Socket socket = new Socket("localhost", gatewayPort);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + ACCESS_PATH + "?key=" + pushKey.value() + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n{\"userId\":")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** A pass in the platform form with a scene image of about {@code imageChars} base64 characters. */
    private static byte[] imagePush(String person, long passTime, int imageChars) {
        byte[] image = new byte[Math.max(2, imageChars / 4 * 3)];
        new Random(passTime).nextBytes(image);
        image[0] = (byte) 0xff; // a JPEG's first bytes
        image[1] = (byte) 0xd8;
        return ("{\"userId\":\"" + person + "\",\"userType\":\"MEMBER\",\"crossTime\":" + passTime
                + ",\"deviceId\":\"BOX-BUDGET\"" + (imageChars > 0 ? ",\"crossSrcPhoto\":\""
                + Base64.getEncoder().encodeToString(image) + "\"" : "") + "}").getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(byte[] body, boolean chunked) throws Exception {
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return HTTP.send(HttpRequest.newBuilder(URI.create(gatewayUrl(ACCESS_PATH + "?key=" + pushKey.value())))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").POST(publisher).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
