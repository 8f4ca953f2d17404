package io.sophonsight.gateway.recipes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.GatewayApplication;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.hr.HrSyncRun;
import io.sophonsight.gateway.push.PushKey;
import io.sophonsight.gateway.simulator.SimulatorPusher;
import io.sophonsight.gateway.simulator.SimulatorState;
import io.sophonsight.gateway.simulator.SophonSightSimulator;
import io.sophonsight.gateway.testkit.FlowProbe;
import io.sophonsight.gateway.testkit.Landing;
import io.sophonsight.gateway.testkit.TestDatabase;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recipes of docs/recipes.md, each proven here in ONE gateway context of its own, set up
 * the way the recipes say: the settings are registered under the very environment-variable names the
 * docs give (application.yaml reads them through {@code ${ENV:default}}), and the HR queries are
 * read from docs/flows/hr-sync.md itself, so the documentation cannot drift from what is tested.
 *
 * <ul>
 *   <li>(e) no simulator: {@code SIMULATOR_ENABLED=false}, {@code SOPHONSIGHT_BASE_URL}, appkey and secret
 *       of "the real platform", played by a {@link SophonSightSimulator} this test starts on a free port
 *       with its own appkey and secret (it refuses any call not signed with them);</li>
 *   <li>(d) external Artemis: {@code GATEWAY_JMS_MODE=native} + {@code GATEWAY_JMS_BROKER_URL} pointing at an
 *       Artemis broker this test starts on a free TCP port, {@code GATEWAY_JMS_EMBEDDED_ENABLED=false};</li>
 *   <li>(a) HR sync on the docs' second schema ({@code org_unit}/{@code staff}, photos as files);</li>
 *   <li>(b) a VIP queue; (c) strangers' photos in their own folder.</li>
 * </ul>
 *
 * The context is closed after this class ({@link DirtiesContext}); it has its own data folder, its own
 * CamelContext name (Quartz) and no JMX MBeans of its own, so it never disturbs the shared context.
 */
@CamelSpringBootTest
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RecipesTest {

    private static final Path DATA_DIR = GatewayTestSupport.freshFolder("recipes");
    private static final String APPKEY = "recipes-company";
    private static final String SECRET = "recipes-secret-" + Long.toHexString(System.nanoTime());
    private static final String PUSH_KEY = "recipes-push-key-" + Long.toHexString(System.nanoTime());
    private static final String VIP_QUEUE = "reception.vip";
    private static final String STRANGER_FOLDER = "security/strangers";

    /** "The real platform": a simulator of its own, on a free port, with its own appkey and secret. */
    private static final SophonSightSimulator PLATFORM = startPlatform();

    /** "The company's Artemis": a broker on a free TCP port, outside the gateway. */
    private static final int BROKER_PORT = freePort();
    private static final EmbeddedActiveMQ BROKER = startBroker();

    @DynamicPropertySource
    static void recipeSettings(DynamicPropertyRegistry registry) {
        GatewayTestSupport.quietSchedulesAndFastRetries(registry);
        registry.add("gateway.data-dir", DATA_DIR::toString);
        // the gateway's own database: H2 under that folder, or with -Ppostgres a PostgreSQL schema of its own
        TestDatabase.fresh("recipes").registerAsGatewayDatabase(registry);
        // a context of its own next to the shared one: its own CamelContext name (Quartz scheduler) and no MBeans,
        // so the shared context keeps its JMX names (e.g. io.sophonsight.gateway:type=DeadLetters)
        registry.add("camel.main.name", () -> "sophonsight-gateway-recipes");
        registry.add("camel.main.jmx-enabled", () -> "false");
        registry.add("spring.jmx.enabled", () -> "false");

        // (e) run without the simulator against a real platform
        registry.add("SIMULATOR_ENABLED", () -> "false");
        registry.add("SOPHONSIGHT_BASE_URL", () -> "http://127.0.0.1:" + PLATFORM.port());
        registry.add("SOPHONSIGHT_APPKEY", () -> APPKEY);
        registry.add("SOPHONSIGHT_SECRET", () -> SECRET);
        registry.add("GATEWAY_PUSH_KEY", () -> PUSH_KEY);
        registry.add("GATEWAY_API_KEY", () -> GatewayTestSupport.API_KEY);
        registry.add("GATEWAY_ADMIN_KEY", () -> GatewayTestSupport.ADMIN_KEY);

        // (d) switch the broker to an external Artemis
        registry.add("GATEWAY_JMS_MODE", () -> "native");
        registry.add("GATEWAY_JMS_BROKER_URL", () -> "tcp://127.0.0.1:" + BROKER_PORT);
        registry.add("GATEWAY_JMS_EMBEDDED_ENABLED", () -> "false");

        // (a) point HR sync at another schema: the queries exactly as the example of docs/flows/hr-sync.md gives them
        registry.add("HR_DB_URL", () -> "jdbc:h2:mem:recipes-hr;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        registry.add("HR_SAMPLE_ENABLED", () -> "false");
        readmeHrExample().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("HR_PHOTO_SOURCE", () -> "path");
        registry.add("HR_PHOTO_BASE_DIR", () -> DATA_DIR.resolve("hr-portraits").toString());

        // (b) a destination for VIP passes
        registry.add("GATEWAY_VIP_QUEUE_ENABLED", () -> "true");
        registry.add("GATEWAY_QUEUE_VIP", () -> VIP_QUEUE);

        // (c) strangers' photos in another folder
        registry.add("GATEWAY_STRANGER_PHOTO_FOLDER", () -> STRANGER_FOLDER);
    }

    /** Stops the platform and the broker when this class's context closes. */
    @TestConfiguration
    static class RecipeInfrastructure {
        @Bean(destroyMethod = "close")
        AutoCloseable recipesPlatformAndBroker() {
            return () -> {
                PLATFORM.close();
                BROKER.stop();
            };
        }
    }

    @Autowired
    private ApplicationContext context;

    @Autowired
    private Environment environment;

    @Autowired
    private ProducerTemplate producer;

    @Autowired
    private JdbcTemplate gatewayDb;

    @Autowired
    private JmsTemplate jmsTemplate;

    @Autowired
    private PushKey pushKey;

    @Autowired
    @Qualifier("hrDataSource")
    private DataSource hrDataSource;

    @LocalServerPort
    private int gatewayPort;

    private FlowProbe flows;

    @BeforeEach
    void probe() {
        flows = new FlowProbe("http://localhost:" + gatewayPort + environment.getRequiredProperty("push.access-path"),
                pushKey.value(), gatewayDb, jmsTemplate, environment);
    }

    // ---- (e) run without the simulator against a real platform ----

    @Test
    void withoutTheSimulatorTheGatewaySignsItsCallsForTheConfiguredPlatform() {
        // Given the built-in simulator switched off, and a device on "the real platform"
        assertThat(context.getBeanNamesForType(SophonSightSimulator.class)).isEmpty();
        PLATFORM.state().putDevice(new SimulatorState.Device("BOX-REAL-1", 2, "Gate of the real platform", 1_700_000_000_000L));
        long searches = PLATFORM.state().calls("/openapi/v1/cross/search");

        // When a device inventory pass runs
        @SuppressWarnings("unchecked")
        Map<String, Object> pass = producer.requestBody("direct:device-inventory-run", null, Map.class);

        // Then it called that platform, which accepted the signature made with the configured appkey and secret
        assertThat(pass).containsEntry("status", "COMPLETE");
        assertThat(PLATFORM.state().calls("/openapi/v1/cross/search")).isGreaterThan(searches);
        assertThat(gatewayDb.queryForObject("SELECT name FROM device WHERE location_id = 'BOX-REAL-1'", String.class))
                .isEqualTo("Gate of the real platform");
        // and the push receivers take the configured key, never a generated one
        assertThat(pushKey.value()).isEqualTo(PUSH_KEY);
    }

    // ---- (d) switch the broker to an external Artemis ----

    @Test
    void aBlacklistAlertReachesTheExternalBroker() throws Exception {
        // Given the gateway on GATEWAY_JMS_MODE=native, its embedded broker off
        assertThat(context.getBeanNamesForType(EmbeddedActiveMQ.class)).isEmpty();

        // When a blacklist pass is pushed
        Landing landing = flows.replaySample("access-platform-blacklist.json");

        // Then its alert is on the external broker: read there with a client of its own
        assertThat(landing.queues()).containsExactly("gateway.alerts");
        try (var factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + BROKER_PORT);
             JMSContext jms = factory.createContext()) {
            Message alert = jms.createConsumer(jms.createQueue("gateway.alerts"), "DedupeKey = '" + landing.dedupeKey() + "'")
                    .receive(5000);
            assertThat(alert).as("alert on the external broker").isNotNull();
            assertThat(alert.getBody(String.class)).contains("\"personId\":\"B-13\"");
            assertThat(alert.getStringProperty("GatewayAlertType")).isEqualTo("blacklist-pass");
        }
    }

    // ---- (b) add a destination for VIP passes ----

    @Test
    void vipPassesGoToTheConfiguredVipQueue() {
        // Given GATEWAY_VIP_QUEUE_ENABLED=true and GATEWAY_QUEUE_VIP=reception.vip
        // When a VIP pass is pushed (form P, userType VIP)
        String vip = FlowProbe.sample("access-platform-blacklist.json").replace("\"BLACKLIST\"", "\"VIP\"");
        Landing landing = flows.replay(vip);

        // Then it is recorded and on the VIP queue, and on no other
        assertThat(landing.personType()).isEqualTo("vip");
        assertThat(landing.recorded()).isTrue();
        assertThat(landing.queues()).containsExactly(VIP_QUEUE);
        assertThat(landing.messagesOn(VIP_QUEUE)).singleElement().asString().contains("\"personType\":\"vip\"");
    }

    // ---- (c) send stranger photos to a different folder ----

    @Test
    void strangersPhotosGoToTheirOwnFolderAndEveryoneElsesStayPut() throws Exception {
        // Given GATEWAY_STRANGER_PHOTO_FOLDER=security/strangers, and a stranger pass with a face crop
        String face = new ObjectMapper().readTree(FlowProbe.sample("access-platform-full.json")).get("crossFacePhoto").asText();
        Map<String, Object> stranger = new LinkedHashMap<>();
        stranger.put("userType", "STRANGER");
        stranger.put("photoId", "stranger-face.jpg");
        stranger.put("crossTime", 0);
        stranger.put("deviceId", "BOX-0001");
        stranger.put("cameraId", "CAM-GATE-1");
        stranger.put("crossFacePhoto", face);

        // When it is pushed, and so is a visitor pass with images
        Landing strangerLanding = flows.replay(new ObjectMapper().writeValueAsString(stranger));
        Landing visitorLanding = flows.replaySample("access-platform-full.json");

        // Then the stranger's face is under security/strangers, the visitor's images under access-photos
        assertThat(strangerLanding.relativeFiles()).singleElement().asString()
                .matches(STRANGER_FOLDER + "/\\d{4}/\\d{2}/\\d{2}/" + strangerLanding.eventId() + "-face\\.jpg");
        assertThat(strangerLanding.files()).allSatisfy(f -> assertThat(f).isRegularFile());
        assertThat(strangerLanding.record()).containsEntry("face_photo_file", strangerLanding.relativeFiles().get(0));
        assertThat(strangerLanding.queues()).containsExactly("gateway.strangers");
        assertThat(visitorLanding.relativeFiles()).hasSize(3).allMatch(f -> f.startsWith("access-photos/"));
    }

    // ---- (a) point HR sync at another schema ----

    @Test
    void hrSyncReadsTheReadmesSecondSchema() throws IOException {
        // Given the docs' second HR schema (org_unit / staff, portraits as files, leavers kept with left_on)
        JdbcTemplate hr = new JdbcTemplate(hrDataSource);
        hr.execute("CREATE TABLE org_unit (ou_code VARCHAR(40) PRIMARY KEY, ou_title VARCHAR(200), "
                + "parent_ou_code VARCHAR(40), active BOOLEAN)");
        hr.execute("CREATE TABLE staff (staff_no VARCHAR(40) PRIMARY KEY, display_name VARCHAR(200), ou_code VARCHAR(40), "
                + "work_email VARCHAR(200), mobile VARCHAR(40), portrait_file VARCHAR(400), modified TIMESTAMP, left_on DATE)");
        hr.update("INSERT INTO org_unit VALUES ('OU-HQ', 'Headquarters', NULL, TRUE), ('OU-IT', 'IT', 'OU-HQ', TRUE), "
                + "('OU-OLD', 'Closed branch', 'OU-HQ', FALSE)");
        Path portraits = Files.createDirectories(DATA_DIR.resolve("hr-portraits"));
        byte[] jpeg = Base64.getDecoder().decode(new ObjectMapper()
                .readTree(FlowProbe.sample("access-platform-full.json")).get("userPhoto").asText());
        Files.write(portraits.resolve("s-100.jpg"), jpeg);
        Timestamp now = new Timestamp(System.currentTimeMillis());
        hr.update("INSERT INTO staff VALUES ('S-100', 'Ada Chen', 'OU-IT', 'ada@example.com', '+86 100', 's-100.jpg', ?, NULL)", now);
        hr.update("INSERT INTO staff VALUES ('S-101', 'Bo Li', 'OU-HQ', 'bo@example.com', NULL, NULL, ?, NULL)", now);
        hr.update("INSERT INTO staff VALUES ('S-102', 'Left Already', 'OU-HQ', NULL, NULL, NULL, ?, DATE '2026-01-31')", now);
        for (String name : List.of("Cai Wen", "Dan Xu", "Eve Ma", "Fay Lu")) {
            hr.update("INSERT INTO staff (staff_no, display_name, ou_code, modified) VALUES (?, ?, 'OU-IT', ?)",
                    "S-" + name.replace(' ', '-'), name, now);
        }

        // When a full run goes
        HrSyncRun run = producer.requestBodyAndHeader("direct:hr-sync-run", null, "HrSyncMode", "FULL", HrSyncRun.class);

        // Then the platform has the active orgs and the current staff, Ada with her portrait file as face
        assertThat(run.getStatus()).isEqualTo("COMPLETED");
        assertThat(run.getFailed()).isZero();
        assertThat(run.getRejected()).isZero();
        assertThat(PLATFORM.state().orgs()).extracting(SimulatorState.Org::thirdId).contains("OU-HQ", "OU-IT")
                .doesNotContain("OU-OLD");
        assertThat(PLATFORM.state().org("OU-IT").thirdParentId()).isEqualTo("OU-HQ");
        SimulatorState.Person ada = PLATFORM.state().person("S-100");
        assertThat(ada.name()).isEqualTo("Ada Chen");
        assertThat(ada.thirdDeptId()).isEqualTo("OU-IT");
        assertThat(ada.mail()).isEqualTo("ada@example.com");
        assertThat(ada.facePicture()).isNotBlank();
        assertThat(PLATFORM.state().photo(ada.facePicture())).isEqualTo(jpeg);
        assertThat(PLATFORM.state().person("S-101")).isNotNull();
        assertThat(PLATFORM.state().person("S-102")).as("a leaver is not on the platform").isNull();

        // And when Bo leaves (1 of 6 people: under the deletion guard's 20 %), the next full run deletes him
        hr.update("UPDATE staff SET left_on = DATE '2026-11-30' WHERE staff_no = 'S-101'");
        HrSyncRun second = producer.requestBodyAndHeader("direct:hr-sync-run", null, "HrSyncMode", "FULL", HrSyncRun.class);
        assertThat(second.getStatus()).isEqualTo("COMPLETED");
        assertThat(second.getDeleted()).isEqualTo(1);
        assertThat(second.getHeld()).isZero();
        assertThat(PLATFORM.state().person("S-101")).isNull();
    }

    /** The {@code HR_SQL_*="..."} lines of the example of another HR schema in docs/flows/hr-sync.md. */
    static Map<String, String> readmeHrExample() {
        try {
            String readme = Files.readString(Path.of("docs/flows/hr-sync.md"));
            Map<String, String> queries = new LinkedHashMap<>();
            Matcher m = Pattern.compile("(?m)^(HR_SQL_[A-Z_]+)=\"(.+)\"$").matcher(readme);
            while (m.find()) {
                queries.put(m.group(1), m.group(2));
            }
            assertThat(queries).as("HR_SQL_* lines of the HR example in docs/flows/hr-sync.md").containsOnlyKeys(
                    List.of("HR_SQL_ORGS", "HR_SQL_PEOPLE", "HR_SQL_PEOPLE_CHANGED"));
            return queries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SophonSightSimulator startPlatform() {
        SophonSightSimulator platform = new SophonSightSimulator(new ObjectMapper(), APPKEY, SECRET,
                new SimulatorPusher.Config("", ""), false);
        try {
            platform.start("127.0.0.1", 0, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return platform;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedActiveMQ startBroker() {
        Path home = DATA_DIR.resolve("external-artemis");
        try {
            ConfigurationImpl configuration = new ConfigurationImpl();
            configuration.setName("recipes-external-artemis");
            configuration.setPersistenceEnabled(false);
            configuration.setSecurityEnabled(false);
            configuration.setJMXManagementEnabled(false);
            configuration.setBindingsDirectory(home.resolve("bindings").toString());
            configuration.setJournalDirectory(home.resolve("journal").toString());
            configuration.setPagingDirectory(home.resolve("paging").toString());
            configuration.setLargeMessagesDirectory(home.resolve("large-messages").toString());
            configuration.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + BROKER_PORT);
            EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
            broker.setConfiguration(configuration);
            broker.start();
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test's external Artemis on port " + BROKER_PORT, e);
        }
    }
}
