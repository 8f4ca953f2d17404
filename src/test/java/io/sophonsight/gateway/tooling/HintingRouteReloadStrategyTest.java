package io.sophonsight.gateway.tooling;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sophonsight.gateway.GatewayTestSupport;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live edit of the dev profile: saving a route file reloads that flow; a broken file is reported with
 * file, line and the nearest valid field while every other flow keeps running.
 */
class HintingRouteReloadStrategyTest {

    private static final String GOOD = """
            - route:
                id: greeting
                from:
                  uri: direct:greeting
                  steps:
                    - setBody:
                        constant: %s
            """;
    private static final String OTHER = """
            - route:
                id: other-flow
                from:
                  uri: direct:other
                  steps:
                    - setBody:
                        constant: still here
            """;

    @Test
    void savedFlowIsReloadedBrokenFlowIsReportedWithHintAndOthersKeepRunning() throws Exception {
        // Given a gateway-like context running two flows from a routes folder, with live reload on
        Path routes = GatewayTestSupport.freshFolder("reload");
        Files.writeString(routes.resolve("greeting.camel.yaml"), GOOD.formatted("hello"));
        Files.writeString(routes.resolve("other.camel.yaml"), OTHER);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(HintingRouteReloadStrategy.class);
        logger.addAppender(logs);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            for (String file : List.of("greeting.camel.yaml", "other.camel.yaml")) {
                PluginHelper.getRoutesLoader(context).loadRoutes(
                        PluginHelper.getResourceLoader(context).resolveResource("file:" + routes.resolve(file)));
            }
            context.start();
            context.addService(new HintingRouteReloadStrategy(routes.toString(), "*.camel.yaml"), true, true);
            var template = context.createProducerTemplate();
            assertThat(template.requestBody("direct:greeting", "", String.class)).isEqualTo("hello");

            // When a flow is saved with a change, Then it is reloaded
            Files.writeString(routes.resolve("greeting.camel.yaml"), GOOD.formatted("bonjour"));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(template.requestBody("direct:greeting", "", String.class)).isEqualTo("bonjour"));

            // When it is saved broken (a misspelt field)
            Files.writeString(routes.resolve("greeting.camel.yaml"),
                    GOOD.formatted("bonjour").replace("constant:", "constnt:"));

            // Then one line names the file, the line and the nearest valid field
            await().atMost(Duration.ofSeconds(20)).until(() -> logs.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("Unsupported field: constnt")));
            String report = logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("constnt")).findFirst().orElseThrow();
            assertThat(report).contains("greeting.camel.yaml:7:").contains("(did you mean 'constant'?)");
            // And the other flow, and the last good version of the broken one, keep running
            assertThat(template.requestBody("direct:other", "", String.class)).isEqualTo("still here");
            assertThat(context.getRouteController().getRouteStatus("other-flow").isStarted()).isTrue();
            assertThat(template.requestBody("direct:greeting", "", String.class)).isEqualTo("bonjour");
        } finally {
            logger.detachAppender(logs);
        }
    }
}
