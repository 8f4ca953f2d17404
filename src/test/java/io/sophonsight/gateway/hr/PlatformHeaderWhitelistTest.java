package io.sophonsight.gateway.hr;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every call to the platform is built from a header whitelist (the shared call step): what a caller of the
 * gateway sent (its API key, cookies, any header of its own) never reaches SophonSight. Counted on the
 * simulator, which records the HTTP headers each open API call arrives with.
 */
class PlatformHeaderWhitelistTest extends HrSyncTestSupport {

    /** Headers a caller of the gateway sends that are none of the platform's business. */
    private static final List<String> CALLER_HEADERS = List.of("Authorization", "X-Api-Key", "Cookie", "X-Custom-Tenant");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anHrRunStartedOverRestCarriesNoneOfTheCallersHeadersToThePlatform() throws Exception {
        // Given an operator's request carrying the admin key both ways, a cookie and a header of its own
        HttpRequest request = adminRequest("/api/hr-sync/run?mode=FULL")
                .header("X-Api-Key", ADMIN_KEY)
                .header("Cookie", "SESSION=operator-session")
                .header("X-Custom-Tenant", "acme")
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build();

        // When it starts a full run, which uploads photos, creates orgs and people
        HttpResponse<String> started = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> simulator.state().people().size() == hrPeople()
                && runs.active() == null);

        // Then the platform got its calls, and none of them carried any of the caller's headers
        assertThat(calls(PERSON_ADD)).isEqualTo(hrPeople());
        assertThat(calls(UPLOAD)).isPositive();
        assertNoCallerHeaderReachedThePlatform();
        // nor any header of the gateway's own exchange (HrSyncMode, SophonSightPath, ...)
        assertThat(simulator.state().requestHeaderNames())
                .allMatch(name -> List.of("host", "content-length", "content-type", "connection", "user-agent",
                        "accept-encoding").contains(name), "only the HTTP client's own headers");
    }

    @Test
    void aVisitorRegistrationCarriesNoneOfTheCallersHeadersToThePlatform() throws Exception {
        // Given a reception kiosk's registration with its key both ways, a cookie and a header of its own
        Map<String, Object> visitor = new LinkedHashMap<>();
        visitor.put("name", "Header Whitelist");
        visitor.put("startTime", Instant.now().plus(Duration.ofHours(1)).toEpochMilli());
        visitor.put("endTime", Instant.now().plus(Duration.ofHours(3)).toEpochMilli());
        visitor.put("photo", Base64.getEncoder().encodeToString(png()));
        HttpRequest request = apiRequest("/api/visitors")
                .header("X-Api-Key", API_KEY)
                .header("Cookie", "SESSION=kiosk-session")
                .header("X-Custom-Tenant", "acme")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new ObjectMapper().writeValueAsString(visitor)))
                .timeout(Duration.ofSeconds(30)).build();

        // When it is registered (photo upload, then visitor/add)
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());

        // Then the platform has the visitor, and no call carried the caller's headers
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(calls(UPLOAD)).isEqualTo(1);
        assertThat(calls("/openapi/v1/visitor/add")).isEqualTo(1);
        assertNoCallerHeaderReachedThePlatform();
    }

    private void assertNoCallerHeaderReachedThePlatform() {
        for (String header : CALLER_HEADERS) {
            assertThat(simulator.state().callsWithHeader(header)).as("platform calls carrying " + header).isZero();
        }
        assertThat(simulator.state().callsWithHeader("Content-Type")).as("the recorder counts headers").isPositive();
    }

    private static byte[] png() throws Exception {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, 0x336699);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
