package io.sophonsight.gateway.sophonsight;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.GatewayApplication;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.events.AccessRecordPoller;
import io.sophonsight.gateway.simulator.SimulatorPusher;
import io.sophonsight.gateway.simulator.SimulatorState;
import io.sophonsight.gateway.simulator.SophonSightSimulator;
import io.sophonsight.gateway.testkit.OwnContextBroker;
import io.sophonsight.gateway.testkit.TestDatabase;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform behind a reverse proxy that serves it under a path prefix
 * ({@code SOPHONSIGHT_BASE_URL=http://host/sophonsight/platform}): the token covers "the URI after the
 * host" (docs/sophonsight-openapi.md §1), so the gateway signs {@code /sophonsight/platform/openapi/...}. The platform is a
 * standalone simulator serving its open API only under that prefix and checking tokens over the full
 * path; the gateway runs as in production, without its built-in simulator. A context of its own.
 */
@CamelSpringBootTest
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
// its broker without MBeans, so the shared broker's stay in JMX
@Import(OwnContextBroker.class)
class PrefixedBaseUrlTest {

    private static final String PREFIX = "/sophonsight/platform";
    private static final String APPKEY = "prefix-appkey";
    private static final String SECRET = "prefix-secret-0123456789";
    private static final Path DATA_DIR = GatewayTestSupport.freshFolder("prefixed-base-url");
    private static final SophonSightSimulator PLATFORM = startPlatform();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void prefixedPlatform(DynamicPropertyRegistry registry) {
        GatewayTestSupport.quietSchedulesAndFastRetries(registry);
        registry.add("gateway.data-dir", DATA_DIR::toString);
        // the gateway's own database: H2 under that folder, or with -Ppostgres a PostgreSQL schema of its own
        TestDatabase.fresh("prefixed_base_url").registerAsGatewayDatabase(registry);
        // a context of its own next to the shared one: its own CamelContext name, no MBeans, its own broker id
        registry.add("camel.main.name", () -> "sophonsight-gateway-prefixed-base-url");
        registry.add("camel.main.jmx-enabled", () -> "false");
        registry.add("spring.jmx.enabled", () -> "false");
        registry.add("spring.artemis.embedded.server-id", () -> "62");
        registry.add("SIMULATOR_ENABLED", () -> "false");
        registry.add("SOPHONSIGHT_BASE_URL", () -> "http://127.0.0.1:" + PLATFORM.port() + PREFIX);
        registry.add("SOPHONSIGHT_APPKEY", () -> APPKEY);
        registry.add("SOPHONSIGHT_SECRET", () -> SECRET);
        registry.add("GATEWAY_PUSH_KEY", () -> "prefixed-push-key-0123456789");
        registry.add("GATEWAY_API_KEY", () -> GatewayTestSupport.API_KEY);
        registry.add("GATEWAY_ADMIN_KEY", () -> GatewayTestSupport.ADMIN_KEY);
    }

    @Autowired
    private ProducerTemplate producer;

    @LocalServerPort
    private int gatewayPort;

    private static SophonSightSimulator startPlatform() {
        SophonSightSimulator platform = new SophonSightSimulator(new ObjectMapper(), APPKEY, SECRET,
                new SimulatorPusher.Config("", ""), false, PREFIX);
        try {
            platform.start("127.0.0.1", 0, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return platform;
    }

    @AfterAll
    static void stopPlatform() {
        PLATFORM.close();
    }

    @Test
    void everyKindOfPlatformCallWorksThroughThePrefixedBaseUrl() throws Exception {
        // Given a platform behind the prefix with one device and one employee pass
        PLATFORM.state().putDevice(new SimulatorState.Device("BOX-P", 2, "Proxy gate", 1_764_320_400_000L));
        long passTime = System.currentTimeMillis() - 60_000;
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", 42);
        record.put("userId", 4200);
        record.put("thirdUserId", "E-PREFIX");
        record.put("nodeName", "Proxy gate");
        record.put("crossTime", passTime);
        record.put("fid", "prefix.jpg");
        PLATFORM.state().addRecord(new SimulatorState.AccessRecord("employee", passTime, record));

        // When the gateway uploads and downloads a photo, takes the device inventory and polls employee records
        Map<String, Object> upload = new LinkedHashMap<>();
        upload.put("photoName", "face.jpg");
        upload.put("photoByteStr", Base64.getEncoder().encodeToString(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2}));
        Map<?, ?> uploaded = producer.requestBodyAndHeader("direct:sophonsight-call", upload,
                SophonSightSigner.PATH_HEADER, "/openapi/v1/pic/upload", Map.class);
        HttpResponse<byte[]> photo = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + gatewayPort
                        + "/api/photos/" + uploaded.get("photoId"))).header("X-Api-Key", GatewayTestSupport.API_KEY)
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<?, ?> inventory = producer.requestBody("direct:device-inventory-run", null, Map.class);
        Map<?, ?> poll = producer.requestBodyAndHeader("direct:access-record-poll", null, AccessRecordPoller.KIND, "employee", Map.class);

        // Then every call was accepted by the platform under the prefix, signed over the full path
        assertThat(photo.statusCode()).isEqualTo(200);
        assertThat(inventory.get("status")).isEqualTo("COMPLETE");
        assertThat(inventory.get("devicesListed")).isEqualTo(1);
        assertThat(poll.get("status")).isEqualTo("COMPLETED");
        assertThat(poll.get("stored")).isEqualTo(1);
        assertThat(PLATFORM.state().calls("/openapi/v1/pic/download")).isEqualTo(1);
    }

    @Test
    void theSamePlatformRefusesATokenOverTheApiPathAlone() throws Exception {
        // Given a request signed over /openapi/... only (what the gateway did before: the prefix left out)
        byte[] body = ("{\"appkey\":\"" + APPKEY + "\",\"time\":" + System.currentTimeMillis() + ",\"index\":1}")
                .getBytes(StandardCharsets.UTF_8);
        String shortToken = SophonSightToken.compute("/openapi/v1/cross/search", body, SECRET);
        String fullToken = SophonSightToken.compute(PREFIX + "/openapi/v1/cross/search", body, SECRET);

        // When both are sent to the prefixed path
        String refused = post(PREFIX + "/openapi/v1/cross/search?token=" + shortToken, body);
        String accepted = post(PREFIX + "/openapi/v1/cross/search?token=" + fullToken, body);

        // Then only the token over the full path is accepted
        assertThat(refused).contains("\"status\":" + SophonSightSimulator.INVALID_TOKEN);
        assertThat(accepted).contains("\"status\":0");
    }

    private static String post(String pathAndQuery, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PLATFORM.port() + pathAndQuery))
                        .header("Content-Type", "application/json;charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
