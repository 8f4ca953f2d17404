package io.sophonsight.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway starts on its embedded defaults, loads its flows from routes/, and says so over health. */
class GatewayStartupTest extends GatewayTestSupport {

    @Autowired
    private Environment environment;

    @Test
    void readinessAndLivenessAreUpOnceRoutesHaveStarted() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String probe : new String[] {"/actuator/health/readiness", "/actuator/health/liveness"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(managementUrl(probe))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(response.body()).as(probe).contains("\"status\":\"UP\"");
        }
        assertThat(camelContext.getRoutes()).allMatch(route -> camelContext.getRouteController()
                .getRouteStatus(route.getRouteId()).isStarted());
    }

    @Test
    void everyRouteComesFromTheRoutesFolderWithAnExplicitKebabCaseId() {
        assertThat(camelContext.getRoutes()).isNotEmpty();
        for (Route route : camelContext.getRoutes()) {
            assertThat(route.getRouteId()).as("route id").matches("[a-z0-9]+(-[a-z0-9]+)*");
            if (route.isCreatedByRestDsl() || route.getRouteId().equals("rest-api-openapi")) {
                // the REST operations and the OpenAPI document: Camel makes these routes from the rest: blocks and the
                // restConfiguration of routes/rest-api.camel.yaml without a source location; their ids are declared there
                assertThat(route.getRouteId()).as("REST route id").startsWith("rest-");
                continue;
            }
            assertThat(route.getSourceLocation()).as(route.getRouteId() + " source").matches("file:routes/[a-z0-9-]+\\.camel\\.yaml(:\\d+)?");
        }
        assertThat(camelContext.getRoute("sophonsight-call")).isNotNull();
    }

    @Test
    void configurationContractEnvironmentVariablesMapToDocumentedKeys() throws Exception {
        // Given the configuration file operators edit
        String yaml = Files.readString(Path.of("application.yaml"));
        // Then each variable of the contract feeds the key the gateway reads
        Map<String, String> contract = Map.of(
                "SERVER_PORT", "port:",
                "SOPHONSIGHT_BASE_URL", "base-url:",
                "SOPHONSIGHT_APPKEY", "appkey:",
                "SOPHONSIGHT_SECRET", "secret:",
                "SIMULATOR_ENABLED", "enabled:",
                "SIMULATOR_PORT", "port:",
                "GATEWAY_DATA_DIR", "data-dir:");
        contract.forEach((variable, key) ->
                assertThat(yaml).as(variable).containsPattern(key + "\\s*\\$\\{" + variable + "(:[^}]*)?}"));
        assertThat(environment.getProperty("camel.main.routes-include-pattern")).isEqualTo("file:routes/*.camel.yaml");
    }

    @Test
    void gatewaySchemaIsMigratedByFlywayIntoTheDataFolder() {
        if (onPostgres()) {
            assertThat(environment.getProperty("spring.datasource.url")).startsWith(POSTGRES_URL);
            return;
        }
        assertThat(environment.getProperty("spring.datasource.url")).contains(DATA_DIR.toString());
        assertThat(Files.exists(DATA_DIR.resolve("db"))).isTrue();
    }
}
