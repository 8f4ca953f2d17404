package io.sophonsight.gateway.visitors;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.simulator.SimulatorState;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Helpers of the visitor tests: real images, HTTP calls to the gateway, a clean slate of visitor tables. */
abstract class VisitorTestSupport extends GatewayTestSupport {

    static final String UPLOAD = "/openapi/v1/pic/upload";
    static final String VISITOR_ADD = "/openapi/v1/visitor/add";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected ObjectMapper mapper;

    @Autowired
    protected VisitorPhotoStore photoStore;

    @Autowired
    protected io.micrometer.core.instrument.MeterRegistry meters;

    /** Every test starts without registrations or requests, so no earlier pending row is retried by surprise. */
    @BeforeEach
    void cleanVisitorTables() {
        jdbc.update("DELETE FROM visitor_request");
        jdbc.update("DELETE FROM visitor_registration");
        jdbc.update("DELETE FROM dead_letter WHERE flow = 'visitor-register'");
    }

    /** A real image file of the given ImageIO format ("png" or "jpg"), different for each seed. */
    static byte[] image(String format, int seed) {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 16; x++) {
            image.setRGB(x, x, 0x010101 * (seed % 200 + 20));
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The fields of a valid registration: a visit from in one hour to in three hours, a PNG photo. */
    static Map<String, Object> visitor(String name, byte[] photo) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("startTime", Instant.now().plus(Duration.ofHours(1)).toEpochMilli());
        fields.put("endTime", Instant.now().plus(Duration.ofHours(3)).toEpochMilli());
        fields.put("photo", base64(photo));
        return fields;
    }

    record Answer(int status, Map<String, Object> body, String location) { }

    Answer postJson(Object body) {
        return postJson(body, Map.of());
    }

    /** POST with extra request headers, e.g. {@code Idempotency-Key}. */
    Answer postJson(Object body, Map<String, String> headers) {
        try {
            String json = body instanceof String text ? text : mapper.writeValueAsString(body);
            HttpRequest.Builder request = apiRequest("/api/visitors").header("Content-Type", "application/json");
            headers.forEach(request::header);
            return send(request.POST(HttpRequest.BodyPublishers.ofString(json)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer postMultipart(Map<String, String> fields, String fileName, byte[] photo) {
        return postMultipart(fields, Map.of("photo", Map.entry(fileName, photo)));
    }

    /** A multipart form with text fields and file parts (part name -> file name and bytes). */
    Answer postMultipart(Map<String, String> fields, Map<String, Map.Entry<String, byte[]>> files) {
        String boundary = "visitor-test-boundary";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Map.Entry<String, String> field : fields.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                        + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes());
            }
            for (Map.Entry<String, Map.Entry<String, byte[]>> file : files.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.getKey()
                        + "\"; filename=\"" + file.getValue().getKey()
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes());
                out.write(file.getValue().getValue());
                out.write("\r\n".getBytes());
            }
            out.write(("--" + boundary + "--\r\n").getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(apiRequest("/api/visitors")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
    }

    Answer get(String id) {
        return send(apiRequest("/api/visitors/" + id).GET());
    }

    /** An operator's resolution of an UNCERTAIN registration: the visitor is on the platform (true) or not (false). */
    Answer resolve(String id, boolean onPlatform) {
        return resolve(id, String.valueOf(onPlatform));
    }

    /** Resolutions are an operator's (admin key, gateway.api.admin-paths). */
    Answer resolve(String id, String onPlatform) {
        return send(adminRequest("/api/visitors/" + id + "/resolution?onPlatform=" + onPlatform)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The same resolution with the API key only, as a reception kiosk would send it. */
    Answer resolveWithApiKey(String id, boolean onPlatform) {
        return send(apiRequest("/api/visitors/" + id + "/resolution?onPlatform=" + onPlatform)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The same resolution without any key, as an unauthenticated caller would send it. */
    Answer resolveWithoutKey(String id, boolean onPlatform) {
        return send(HttpRequest.newBuilder(URI.create(gatewayUrl("/api/visitors/" + id + "/resolution?onPlatform=" + onPlatform)))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** How many registrations were marked UNCERTAIN since start-up (metric gateway_platform_uncertain_total). */
    double uncertainCount() {
        io.micrometer.core.instrument.Counter counter = meters.find("gateway.platform.uncertain")
                .tag("flow", "visitor-register").counter();
        return counter == null ? 0 : counter.count();
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, Object> body = response.body().isBlank() ? Map.of() : mapper.readValue(response.body(), MAP);
            return new Answer(response.statusCode(), body, response.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs one retry of the due pending registrations now, as the Quartz schedule would. */
    void retryNow() {
        producer.sendBody("direct:visitor-retry", null);
    }

    Map<String, Object> registrationRow(String id) {
        return jdbc.queryForMap("SELECT * FROM visitor_registration WHERE id = ?", id);
    }

    SimulatorState.Visitor onlyVisitorOnPlatform() {
        List<SimulatorState.Visitor> visitors = simulator.state().visitors();
        org.assertj.core.api.Assertions.assertThat(visitors).hasSize(1);
        return visitors.get(0);
    }
}
