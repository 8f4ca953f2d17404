package io.sophonsight.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sophonsight.gateway.simulator.SophonSightSimulator;
import io.sophonsight.gateway.testkit.TestDatabase;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the gateway's tests: the real application context, the real {@code routes/} folder and
 * {@code application.yaml}, the built-in simulator over real HTTP.
 *
 * <p>All subclasses share one cached context. Ports are free ports (gateway: random, simulator: 0),
 * the data folder is a fresh folder under {@code target/} for this test JVM, and retries are fast.
 * A test class that needs other settings adds {@code @TestPropertySource}; it then gets its own
 * context, and must also give its own {@code gateway.data-dir} so the two contexts do not share files.
 */
@CamelSpringBootTest
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Camel's JMX as the gateway runs it (camel-test switches it off by default): route MBeans by route id, read over Jolokia
@DisableJmx(false)
// metrics exported as the gateway runs (Spring Boot tests switch exporters off by default): /actuator/prometheus (management port)
@AutoConfigureObservability(tracing = false)
public abstract class GatewayTestSupport {

    /** One data folder per test JVM, so H2 files and photos of an earlier run never leak in. */
    protected static final Path DATA_DIR = freshFolder("shared");

    /** The REST API key of the test context ({@code GATEWAY_API_KEY}); see {@link #apiRequest(String)}. */
    public static final String API_KEY = "test-api-key-0123456789";

    /** The console login of the test context ({@code GATEWAY_CONSOLE_USER} / {@code GATEWAY_CONSOLE_PASSWORD}). */
    public static final String CONSOLE_USER = "console-operator";
    public static final String CONSOLE_PASSWORD = "test-console-password-0123";
    /** The admin key of the test context ({@code GATEWAY_ADMIN_KEY}); see {@link #adminRequest(String)}. */
    public static final String ADMIN_KEY = "test-admin-key-9876543210";

    /**
     * With {@code -Ppostgres} (system property {@code gateway.test.postgres-url}) the gateway's own schema lives
     * in a real PostgreSQL instead of H2: a fresh schema per test JVM, created and migrated by Flyway.
     */
    protected static final String POSTGRES_URL = TestDatabase.postgresUrl();
    private static final TestDatabase DATABASE = TestDatabase.fresh("shared");

    /**
     * How long the gateway waits for the platform's answer in tests (30 s in production), so a test of an answer
     * that comes too late (simulator fault APPLY_THEN_LATE) waits seconds, not half a minute.
     */
    public static final long PLATFORM_RESPONSE_TIMEOUT_MS = 6_000;

    public static boolean onPostgres() {
        return TestDatabase.onPostgres();
    }

    @DynamicPropertySource
    static void gatewayTestProperties(DynamicPropertyRegistry registry) {
        registry.add("simulator.enabled", () -> "true");
        registry.add("simulator.port", () -> "0");
        registry.add("sophonsight.base-url", () -> "http://localhost:${local.simulator.port}");
        registry.add("gateway.data-dir", DATA_DIR::toString);
        registry.add("gateway.api.key", () -> API_KEY);
        registry.add("gateway.console.user", () -> CONSOLE_USER);
        registry.add("gateway.console.password", () -> CONSOLE_PASSWORD);
        registry.add("gateway.api.admin-key", () -> ADMIN_KEY);
        // Spring's JMX export as the gateway runs it (the test framework switches it off by default): the
        // @ManagedResource beans (HR deletion guard and operations) are in JMX and so reachable through Jolokia
        registry.add("spring.jmx.enabled", () -> "true");
        DATABASE.registerAsGatewayDatabase(registry);
        quietSchedulesAndFastRetries(registry);
    }

    /**
     * The test settings every gateway context needs, also a context of its own (e.g. {@code RecipesTest}):
     * no schedule fires behind a test's back, retries and fan-out are fast.
     */
    public static void quietSchedulesAndFastRetries(DynamicPropertyRegistry registry) {
        registry.add("sophonsight.retry.initial-delay-ms", () -> "20");
        registry.add("sophonsight.retry.max-delay-ms", () -> "100");
        registry.add("sophonsight.retry.max-redeliveries", () -> "3");
        registry.add("camel.component.http.response-timeout", () -> String.valueOf(PLATFORM_RESPONSE_TIMEOUT_MS));
        registry.add("camel.component.http.so-timeout", () -> String.valueOf(PLATFORM_RESPONSE_TIMEOUT_MS));
        // access-record pollers never fire on their own: tests run them through direct:access-record-poll
        registry.add("query.records.employee.cron", () -> "0 0 0 1 1 ? 2099");
        registry.add("query.records.stranger.cron", () -> "0 0 0 1 1 ? 2099");
        registry.add("query.records.visitor.cron", () -> "0 0 0 1 1 ? 2099");
        // HR sync runs only when a test sends to direct:hr-sync-run, never on a schedule behind other tests' backs
        registry.add("hr.sync.schedule.first-run-delay", () -> "86400000");
        registry.add("hr.sync.schedule.incremental-cron", () -> "0 0 0 1 1 ? 2099");
        registry.add("hr.sync.schedule.full-cron", () -> "0 0 0 1 1 ? 2099");
        // scheduled flows never fire on their own in tests: tests trigger runs through their direct: entries
        registry.add("devices.inventory.cron", () -> "0 0 0 1 1 ? 2099");
        // visitor schedules never fire on their own: tests call direct:visitor-retry and poll the request table on demand
        registry.add("visitors.retry.cron", () -> "0 0 0 1 1 ? 2099");
        registry.add("visitors.retry.initial-delay-ms", () -> "0");
        registry.add("visitors.intake.initial-delay-ms", () -> "86400000");
        registry.add("visitors.intake.poll-delay-ms", () -> "86400000");
        // no scheduled simulator pushes: tests push explicitly (POST /simulator/push/... or HTTP)
        registry.add("simulator.push.interval", () -> "0s");
        // fast fan-out polling and retries, few attempts before a dead letter
        registry.add("push.fanout.poll-delay-ms", () -> "100");
        registry.add("push.fanout.initial-delay-ms", () -> "50");
        registry.add("push.fanout.max-delay-ms", () -> "200");
        registry.add("push.fanout.max-attempts", () -> "3");
        // silence detection never fires on its own: tests send to direct:push-silence-check
        registry.add("push.silence.check-cron", () -> "0 0 0 1 1 ? 2099");
        // a fixed push in-flight budget, not one sized from the test JVM's heap, so PushBackpressureTest can fill it
        registry.add("push.in-flight.max-bytes", () -> "40MB");
        // the retention purge never fires on its own: tests send to direct:data-retention
        registry.add("retention.cron", () -> "0 0 0 1 1 ? 2099");
        // the Jolokia agent (JMX over HTTP) on a free port of the loopback interface, never the fixed 8778
        registry.add("monitoring.jolokia.port", () -> "0");
        registry.add("monitoring.jolokia.host", () -> "127.0.0.1");
        // the actuator (probes, Prometheus, console) on a free port of its own, as MANAGEMENT_PORT puts it in production
        registry.add("management.server.port", () -> "0");
    }

    @Autowired
    protected CamelContext camelContext;

    @Autowired
    protected ProducerTemplate producer;

    @Autowired
    protected SophonSightSimulator simulator;

    @LocalServerPort
    protected int gatewayPort;

    /** The actuator's port (management.server.port), never the push/API port. */
    @LocalManagementPort
    protected int managementPort;

    /** Every test starts from an empty platform without faults, playing the default readings of the docs and paging its lists the default way. */
    @BeforeEach
    void resetSimulator() {
        simulator.state().reset();
        simulator.faults().clear();
        simulator.readings().reset();
        simulator.paging().reset();
    }

    protected String gatewayUrl(String path) {
        return "http://localhost:" + gatewayPort + path;
    }

    /** A URL of the management port: {@code /actuator/health/readiness}, {@code /actuator/prometheus}, ... */
    protected String managementUrl(String path) {
        return "http://localhost:" + managementPort + path;
    }

    /** A request to the gateway's REST API ({@code /api/...}), with the API key as a client sends it. */
    protected HttpRequest.Builder apiRequest(String path) {
        return HttpRequest.newBuilder(URI.create(gatewayUrl(path))).header("Authorization", "Bearer " + API_KEY);
    }

    /** A request to an admin path ({@code /api/hr-sync/...}, the dead-letter replay), with the admin key. */
    protected HttpRequest.Builder adminRequest(String path) {
        return HttpRequest.newBuilder(URI.create(gatewayUrl(path))).header("Authorization", "Bearer " + ADMIN_KEY);
    }

    protected String simulatorUrl(String path) {
        return "http://localhost:" + simulator.port() + path;
    }

    /**
     * A new empty folder under target/test-data (or the folder named by system property
     * {@code gateway.test.data-root}, e.g. the benchmarks' own, deleted when they end) for a context of its own.
     */
    public static Path freshFolder(String name) {
        try {
            Path base = Path.of(System.getProperty("gateway.test.data-root", "target/test-data"));
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name + "-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
