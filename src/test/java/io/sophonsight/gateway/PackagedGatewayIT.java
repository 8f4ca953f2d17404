package io.sophonsight.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import io.sophonsight.gateway.testkit.GatewayProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar that {@code mvn package} builds, started the way an engineer starts it ({@code java -jar}, in the
 * project folder, embedded defaults; with {@code -Ppostgres} its own database on PostgreSQL): it becomes ready,
 * acknowledges a push and stores it. The process-level tests
 * (replicas, kill -9) build on the same {@link GatewayProcess}.
 */
class PackagedGatewayIT {

    @Test
    void packagedJarStartsOnItsEmbeddedDefaultsAndAcknowledgesAPush() throws Exception {
        // Given the packaged gateway on its embedded defaults, with a known push key
        try (GatewayProcess gateway = GatewayProcess.gateway("packaged")
                .env("GATEWAY_PUSH_KEY", "packaged-it-key")
                .env("SIMULATOR_PUSH_INTERVAL", "0s")
                .start()) {
            Duration startup = gateway.awaitReady(Duration.ofSeconds(120));

            // When the platform pushes one access record
            String sample = Files.readString(Path.of("src/test/resources/conformance/push-samples/access-platform-minimal.json"));
            var answer = gateway.post("/sophonsight/access-records?key=packaged-it-key", sample);

            // Then it is acknowledged and stored, and the key never appears in the log
            assertThat(answer.statusCode()).as(gateway.logTail()).isEqualTo(200);
            assertThat(answer.body()).contains("SUCCESS");
            assertThat(Files.readString(gateway.logFile())).doesNotContain("packaged-it-key");
            gateway.stop(); // (an H2 file is readable once the process is gone)
            try (Connection db = gateway.database().connect(); Statement sql = db.createStatement();
                 ResultSet events = sql.executeQuery("SELECT COUNT(*) FROM access_event")) {
                events.next();
                assertThat(events.getInt(1)).as("access_event rows in " + gateway.database()).isEqualTo(1);
            }
            System.out.printf("packaged gateway ready in %d ms%n", startup.toMillis());
        }
    }
}
