package io.sophonsight.gateway.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.sophonsight.gateway.deadletters.DeadLetters;
import io.sophonsight.gateway.monitoring.JolokiaClient;
import io.sophonsight.gateway.push.PushTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Camel console (hawtio) as a caller of the management port meets it, over real HTTP: its pages there and
 * nowhere else, its Jolokia answering 401 without a login, a logged-in console user bound by the same Jolokia
 * policy as the agent (never {@code requestBody}), and the gateway's own MBeans described for the console.
 */
class ConsoleAccessTest extends PushTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CONTEXT = "org.apache.camel:context=sophonsight-gateway,type=context,name=\"sophonsight-gateway\"";

    private String consoleJolokia() {
        return managementUrl("/actuator/hawtio/jolokia/");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutALoginTheConsolesJolokiaAnswers401AndAWrongPasswordGetsNothing() {
        Map<String, Object> read = Map.of("type", "read", "mbean", "java.lang:type=Memory", "attribute", "HeapMemoryUsage");

        // When anyone asks the console's Jolokia without a login, Then 401 with a login prompt
        HttpResponse<String> anonymous = new JolokiaClient(consoleJolokia()).post(read);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));

        // When a caller guesses a password, Then no answer either (a user name of its own: hawtio throttles the name
        // that failed, which would slow down the console user's own logins in the tests that follow)
        assertThat(new JolokiaClient(consoleJolokia(), "intruder", "guess").post(read).statusCode()).isIn(401, 403);

        // When the console user logs in, Then the read is answered
        assertThat(new JolokiaClient(consoleJolokia(), CONSOLE_USER, CONSOLE_PASSWORD).send(read)).containsEntry("status", 200);
    }

    @Test
    void aConsoleUserCannotRunAnOperationThePolicyDenies() {
        // Given a logged-in console user (what hawtio's pages send, with the user's session)
        JolokiaClient console = new JolokiaClient(consoleJolokia(), CONSOLE_USER, CONSOLE_PASSWORD);

        // When the user sends the request for the push key, SQL, or a route removal through the console
        List<Map<String, Object>> denied = List.of(
                console.send(Map.of("type", "exec", "mbean", CONTEXT, "operation", "requestBody(java.lang.String,java.lang.Object)",
                        "arguments", java.util.Arrays.asList("language:simple:${properties:push.key}", null))),
                console.send(Map.of("type", "exec", "mbean", CONTEXT, "operation", "requestBody(java.lang.String,java.lang.Object)",
                        "arguments", java.util.Arrays.asList("sql:SELECT COUNT(*) AS n FROM access_event", null))),
                console.send(Map.of("type", "exec", "mbean", CONTEXT, "operation", "removeRoute(java.lang.String)",
                        "arguments", List.of("access-record-push"))),
                console.write(CONTEXT, "Tracing", true));

        // Then each is refused, the key is nowhere in the answers, and the route is still there
        for (Map<String, Object> answer : denied) {
            assertThat(answer.get("status")).as(answer.toString()).isEqualTo(403);
        }
        assertThat(denied.toString()).doesNotContain(pushKey.value());
        assertThat(camelContext.getRoute("access-record-push")).isNotNull();

        // And the console's documented operations and reads work for the same user
        assertThat(console.read("org.apache.camel:context=sophonsight-gateway,type=routes,name=\"access-event-fanout\"",
                "ExchangesTotal")).containsEntry("status", 200);
        assertThat(console.exec(DeadLetters.OBJECT_NAME, "replay()")).containsEntry("status", 200);
    }

    @Test
    void theConsoleIsServedOnTheManagementPortOnly() throws Exception {
        // When a browser opens the console on the management port, Then hawtio's page (its login first) is served
        HttpResponse<String> page = get(managementUrl("/actuator/hawtio/index.html"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("hawtio");

        // When anyone asks for it on the push/API port, Then it is not there
        for (String path : List.of("/actuator/hawtio/index.html", "/actuator/hawtio/jolokia/", "/hawtio/")) {
            assertThat(get(gatewayUrl(path)).statusCode()).as(path + " on the push/API port").isIn(401, 404);
        }
        // And Jolokia's own actuator endpoint is not exposed: the console's is the only Jolokia on the management port
        assertThat(get(managementUrl("/actuator/jolokia")).statusCode()).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGatewaysOwnMBeansShowADescriptionOfEveryAttributeAndOperationInTheConsole() {
        // Given the console user, When the console lists the gateway's MBeans (as its JMX tree does)
        Map<String, Object> list = (Map<String, Object>) JolokiaClient.value(new JolokiaClient(consoleJolokia(), CONSOLE_USER,
                CONSOLE_PASSWORD).send(Map.of("type", "list", "path", "io.sophonsight.gateway")));

        // Then the four MBeans are there, each described, and so is every attribute and operation
        assertThat(list.keySet()).containsExactlyInAnyOrder("type=DeadLetters", "name=DeletionGuard,type=HrSync",
                "name=Operations,type=HrSync", "type=Cluster");
        list.forEach((name, info) -> {
            Map<String, Object> mbean = (Map<String, Object>) info;
            assertThat((String) mbean.get("desc")).as(name + " description").isNotBlank()
                    .doesNotContain("Information on the management interface");
            for (String kind : List.of("attr", "op")) {
                ((Map<String, Object>) mbean.getOrDefault(kind, Map.of())).forEach((member, details) -> {
                    Object described = details instanceof List<?> overloads ? overloads.get(0) : details;
                    String desc = (String) ((Map<String, Object>) described).get("desc");
                    assertThat(desc).as(name + " " + kind + " " + member + " description").isNotBlank()
                            .isNotEqualTo(member).doesNotContain("exposed for management");
                });
            }
        });
        assertThat((Map<String, Object>) ((Map<String, Object>) list.get("type=DeadLetters")).get("op")).containsKey("replay");
    }
}
