package io.sophonsight.gateway.operations;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.testkit.GatewayProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged gateway as its users start and stop it ({@code java -jar}, embedded defaults): a normal start logs no
 * WARN or ERROR besides the documented demo warning (the open REST API beside the simulator), a SIGTERM in the
 * middle of a push load loses no acknowledged push and stops without a WARN or ERROR either, and a start from any
 * other folder runs on the defaults the jar carries, with JSON logs that show no key.
 */
class CleanStartAndStopIT {

    private static final String PUSH_KEY = "clean-stop-push-key-5d1c9a";
    /** The WARNs a start on the embedded defaults logs on purpose: README "Configuration", the one-command demo (no REST keys). */
    private static final Pattern DOCUMENTED_DEMO_WARNING = Pattern.compile("GatewayKeys\\s+: GATEWAY_(API|ADMIN)_KEY not set: ");
    private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\S+\\s+(WARN|ERROR) ");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStartOnTheEmbeddedDefaultsAndAStopDuringPushesLogNothingButTheDemoWarningAndLoseNoAcknowledgedPush() throws Exception {
        // Given the gateway started as the README says, in the project folder, on its embedded defaults
        GatewayProcess gateway = GatewayProcess.gateway("clean-stop").env("GATEWAY_PUSH_KEY", PUSH_KEY);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try (gateway) {
            gateway.start().awaitReady(Duration.ofMinutes(5));

            // When four clients push access records and the gateway gets SIGTERM in the middle of it
            AtomicBoolean pushing = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            for (int client = 0; client < 4; client++) {
                int id = client;
                clients.submit(() -> {
                    for (int n = 0; pushing.get(); n++) {
                        String person = "E-STOP-" + id + "-" + n;
                        sent.incrementAndGet();
                        if (push(gateway, person, 1_700_000_000_000L + id * 10_000_000L + n * 1000L)) {
                            acknowledged.add(person);
                        }
                    }
                });
            }
            await("pushes acknowledged before the stop").atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 40);
            gateway.stop();
            pushing.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            // Then it ended on its own, within the grace period (no SIGKILL needed)
            assertThat(gateway.isAlive()).isFalse();
            assertThat(gateway.exitValue()).as("exit code after SIGTERM (143 = graceful stop)").isIn(0, 143);

            // And every push it acknowledged is in its database
            List<String> missing = new ArrayList<>();
            // (its own database: the H2 file of its data folder, or with -Ppostgres its PostgreSQL schema)
            try (Connection db = gateway.database().connect();
                 PreparedStatement find = db.prepareStatement("SELECT COUNT(*) FROM access_event WHERE event_json LIKE ?")) {
                for (String person : acknowledged) {
                    find.setString(1, "%\"" + person + "\"%");
                    try (ResultSet rows = find.executeQuery()) {
                        rows.next();
                        if (rows.getInt(1) != 1) {
                            missing.add(person);
                        }
                    }
                }
            }
            System.out.printf("stop during pushes: %d sent, %d acknowledged, %d of those missing%n",
                    sent.get(), acknowledged.size(), missing.size());
            assertThat(missing).as("acknowledged pushes missing after the stop").isEmpty();

            // And neither the start nor the stop logged a WARN or ERROR besides the documented demo warning
            assertThat(unexpectedWarningsAndErrors(gateway.logFile())).as("WARN/ERROR lines of a normal start and stop").isEmpty();
            assertThat(Files.readString(gateway.logFile())).as("the push key in the log").doesNotContain(PUSH_KEY);
        }
    }

    @Test
    void aStartFromAnotherFolderRunsOnTheDefaultsAndFlowsTheJarCarriesWithJsonLogsThatShowNoKey() throws Exception {
        // Given an empty folder: no application.yaml, no routes/
        Path elsewhere = GatewayTestSupport.freshFolder("elsewhere");
        try (GatewayProcess gateway = GatewayProcess.gateway("elsewhere").workingDirectory(elsewhere)
                .env("GATEWAY_PUSH_KEY", PUSH_KEY).env("LOG_FORMAT", "json").env("SIMULATOR_PUSH_INTERVAL", "0s")) {
            // When the jar is started there
            gateway.start().awaitReady(Duration.ofMinutes(5));

            // Then it runs the bundled flows on the bundled defaults: a push is acknowledged on the default path
            assertThat(push(gateway, "E-ELSEWHERE", 1_750_000_000_000L)).as(gateway.logTail()).isTrue();
            assertThat(gateway.get("/sophonsight/access-records?key=wrong-" + PUSH_KEY).statusCode()).isIn(401, 405);
            gateway.stop();

            // And every log line is one JSON object (ECS), one of which says where the flows came from
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(gateway.logFile())) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
            assertThat(lines).as("JSON log lines").isNotEmpty().allMatch(JsonNode::isObject);
            assertThat(lines).anyMatch(line -> line.path("message").asText().contains("running the flows bundled in the jar"));
            assertThat(lines).allMatch(line -> line.has("@timestamp") && line.path("log").has("level"));
            // And no key shows, in any line
            assertThat(Files.readString(gateway.logFile())).as("the push key in the JSON log").doesNotContain(PUSH_KEY);
        }
    }

    /** One access record of the platform form; true when the gateway acknowledged it (200 SUCCESS). */
    private static boolean push(GatewayProcess gateway, String person, long passTime) {
        String body = "{\"userId\":\"" + person + "\",\"userType\":\"MEMBER\",\"crossTime\":" + passTime + ",\"deviceId\":\"BOX-STOP\"}";
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                            + "/sophonsight/access-records?key=" + PUSH_KEY)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 && answer.body().contains("SUCCESS");
        } catch (IOException e) {
            return false; // refused or cut: not acknowledged, the platform sends it again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<String> unexpectedWarningsAndErrors(Path log) throws IOException {
        return Files.readAllLines(log).stream()
                .filter(line -> WARN_OR_ERROR.matcher(line).find())
                .filter(line -> !DOCUMENTED_DEMO_WARNING.matcher(line).find())
                .toList();
    }
}
