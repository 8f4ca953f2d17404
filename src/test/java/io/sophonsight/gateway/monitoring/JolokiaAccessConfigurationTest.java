package io.sophonsight.gateway.monitoring;

import java.util.Map;

import org.jolokia.jvmagent.JolokiaServer;
import org.jolokia.jvmagent.JolokiaServerConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Jolokia agent's settings from {@code monitoring.jolokia.*}, run in a real agent on a free loopback
 * port: without JOLOKIA_USER anyone who reaches the port may use the policy; with it, only callers that
 * give the user and password.
 */
class JolokiaAccessConfigurationTest {

    private static final String MEMORY = "java.lang:type=Memory";

    private static JolokiaServer agent(String user, String password) throws Exception {
        Map<String, String> config = JolokiaAccessConfiguration.holder("127.0.0.1", 0, "classpath:/jolokia-access.xml",
                user, password).getConfig();
        JolokiaServer server = new JolokiaServer(new JolokiaServerConfig(config));
        server.start();
        return server;
    }

    @Test
    void withUserAndPasswordOnlyAuthenticatedCallersGetAnAnswer() throws Exception {
        // Given the agent set up with JOLOKIA_USER and JOLOKIA_PASSWORD
        JolokiaServer server = agent("operator", "s3cret-from-a-secret");
        try {
            Map<String, Object> read = Map.of("type", "read", "mbean", MEMORY, "attribute", "HeapMemoryUsage");

            // When a caller sends no credentials, or wrong ones, Then the agent answers 401
            assertThat(new JolokiaClient(server.getUrl()).post(read).statusCode()).isEqualTo(401);
            assertThat(new JolokiaClient(server.getUrl(), "operator", "guess").post(read).statusCode()).isEqualTo(401);

            // When the operator sends the user and password, Then the read is answered under the policy
            Map<String, Object> answer = new JolokiaClient(server.getUrl(), "operator", "s3cret-from-a-secret").send(read);
            assertThat(answer).containsEntry("status", 200);
        } finally {
            server.stop();
        }
    }

    @Test
    void withoutAUserTheAgentAsksForNoCredentials() throws Exception {
        // Given the agent with JOLOKIA_USER empty (the default: the port must then stay private)
        JolokiaServer server = agent("", "");
        try {
            // When a caller reads an allowed attribute without credentials, Then it is answered
            assertThat(new JolokiaClient(server.getUrl()).read(MEMORY, "HeapMemoryUsage")).containsEntry("status", 200);
            // And the policy still applies: what it does not list is refused
            assertThat(new JolokiaClient(server.getUrl()).exec(MEMORY, "gc")).containsEntry("status", 403);
        } finally {
            server.stop();
        }
    }

    @Test
    void anAgentOnAnotherInterfaceThanLoopbackWithoutCredentialsDoesNotStart() {
        // When JOLOKIA_HOST names all interfaces (or any non-loopback address) and JOLOKIA_USER is not set,
        // Then the gateway does not start, saying why and what to set
        assertThatThrownBy(() -> JolokiaAccessConfiguration.holder("0.0.0.0", 8778, "classpath:/jolokia-access.xml", "", ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JOLOKIA_HOST=0.0.0.0")
                .hasMessageContaining("JOLOKIA_USER/JOLOKIA_PASSWORD");
        // And with a user and password it may listen there; on the loopback interface it needs neither
        assertThat(JolokiaAccessConfiguration.holder("0.0.0.0", 8778, "classpath:/jolokia-access.xml", "operator", "pw")
                .getConfig()).containsEntry("authMode", "basic");
        assertThat(JolokiaAccessConfiguration.holder("127.0.0.1", 8778, "classpath:/jolokia-access.xml", "", "")
                .getConfig()).containsEntry("host", "127.0.0.1").doesNotContainKey("authMode");
        assertThat(JolokiaAccessConfiguration.isLoopback("localhost")).isTrue();
        assertThat(JolokiaAccessConfiguration.isLoopback("::1")).isTrue();
    }

    @Test
    void theDefaultInterfaceIsLoopback() throws Exception {
        // Given application.yaml as shipped
        String yaml = java.nio.file.Files.readString(java.nio.file.Path.of("application.yaml"));
        // Then the agent's interface defaults to 127.0.0.1 (reached through kubectl port-forward)
        assertThat(yaml).contains("host: ${JOLOKIA_HOST:127.0.0.1}");
    }

    @Test
    void aBrowserPageOfAnotherOriginIsRefusedBeforeTheRequestRuns() throws Exception {
        // Given the agent with its policy's strict CORS rules
        JolokiaServer server = agent("", "");
        try {
            Map<String, Object> read = Map.of("type", "read", "mbean", MEMORY, "attribute", "HeapMemoryUsage");
            JolokiaClient client = new JolokiaClient(server.getUrl());

            // When a page of another site posts to it (cross-site request forgery from an operator's browser)
            var foreign = client.post(read, "https://attacker.example");
            // Then the request is refused, with no CORS header letting the page read anything
            assertThat(foreign.body()).contains("403");
            assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

            // When the console opened as localhost (port-forward) or curl without an Origin asks, Then it is answered
            var local = client.post(read, "http://localhost:8081");
            assertThat(local.body()).contains("\"status\":200");
            assertThat(local.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:8081");
            assertThat(client.post(read).body()).contains("\"status\":200");

            // And a GET (an <img> or link on any page, which may carry no Origin) is refused whatever it asks
            var get = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(server.getUrl() + "read/java.lang:type=Memory/HeapMemoryUsage")).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(get.body()).contains("403").doesNotContain("\"value\"");
        } finally {
            server.stop();
        }
    }

    @Test
    void aUserWithoutPasswordStopsTheStartWithAClearReason() {
        // When JOLOKIA_USER is set but JOLOKIA_PASSWORD is not, Then the gateway does not start half-protected
        assertThatThrownBy(() -> JolokiaAccessConfiguration.holder("0.0.0.0", 8778, "classpath:/jolokia-access.xml", "operator", ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JOLOKIA_PASSWORD");
    }
}
