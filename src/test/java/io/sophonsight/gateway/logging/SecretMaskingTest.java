package io.sophonsight.gateway.logging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No push key and no platform token in a log line, in the text layout of application.yaml and in the JSON format
 * ({@code LOG_FORMAT=json}) alike, also inside an exception's message and its causes in the stack trace.
 */
class SecretMaskingTest {

    private static final String PUSH_KEY = "pk-7f3a9c1e5b2d4f60a8e1";
    private static final String TOKEN = "0FF1A2B3C4D5E6F708192A3B4C5D6E7F";
    private static final String MESSAGE = "Push refused from 10.0.0.7: POST /sophonsight/access-records?key=" + PUSH_KEY
            + " and call /openapi/v1/cross/search?appkey=demo&token=" + TOKEN;

    @Test
    void theTextLayoutMasksKeyAndTokenInTheMessageAndTheStackTrace() throws IOException {
        // Given the console layout of application.yaml with Spring Boot's stack-trace converter
        LoggerContext context = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put("wEx", ExtendedWhitespaceThrowableProxyConverter::new);
        layout.setPattern(applicationYaml("logging.pattern.console"));
        layout.start();

        // When a line with both secrets in the message and in an exception with a cause is written
        String line = layout.doLayout(event(context));

        // Then neither secret shows, their masked forms do, and the stack trace is printed once
        assertMasked(line);
        assertThat(line).contains("key=****", "token=0FF1****", "IllegalStateException", "Caused by:");
        assertThat(line.split("java.lang.IllegalStateException", -1)).as("the stack trace printed once").hasSize(2);
    }

    @Test
    void theJsonFormatMasksKeyAndTokenInTheMessageAndTheStackTrace() throws IOException {
        // Given Spring Boot's structured JSON encoder as LOG_FORMAT=json configures it (ECS, the gateway's customizer)
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "spring.application.name", "sophonsight-gateway",
                "logging.structured.json.customizer", applicationYaml("logging.structured.json.customizer"))));
        context.putObject(Environment.class.getName(), environment);
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(LogFormatEnvironmentPostProcessor.JSON_FORMAT);
        encoder.start();

        // When the same line is written
        String json = new String(encoder.encode(event(context)), StandardCharsets.UTF_8);

        // Then it is one JSON object, with the message and the stack trace masked
        JsonNode line = new ObjectMapper().readTree(json);
        assertThat(line.path("message").asText()).contains("key=****", "token=0FF1****");
        assertThat(line.path("error").path("stack_trace").asText()).contains("key=****", "Caused by:");
        assertMasked(json);
    }

    @Test
    void logFormatJsonSwitchesTheConsoleToEcsAndTextLeavesSpringsLayout() {
        // Given the two formats, and a typo
        LogFormatEnvironmentPostProcessor formats = new LogFormatEnvironmentPostProcessor();

        // Then json selects ECS structured logging without a banner, text changes nothing, anything else stops the start
        StandardEnvironment json = environment("json");
        formats.postProcessEnvironment(json, new SpringApplication());
        assertThat(json.getProperty(LogFormatEnvironmentPostProcessor.STRUCTURED_CONSOLE)).isEqualTo("ecs");
        assertThat(json.getProperty("spring.main.banner-mode")).isEqualTo("off");
        StandardEnvironment text = environment("text");
        formats.postProcessEnvironment(text, new SpringApplication());
        assertThat(text.getProperty(LogFormatEnvironmentPostProcessor.STRUCTURED_CONSOLE)).isNull();
        assertThatThrownBy(() -> formats.postProcessEnvironment(environment("jsn"), new SpringApplication()))
                .hasMessageContaining("LOG_FORMAT").hasMessageContaining("jsn");
    }

    @Test
    void theTextLayoutUsesTheMaskingExpressionOfTheJsonFormat() throws IOException {
        // Then application.yaml's layout masks push keys with SecretMasking's very expression
        assertThat(applicationYaml("logging.pattern.console")).contains(SecretMasking.KEY_IN_URL);
    }

    /** A key of application.yaml (the top-level file, first document) as written. */
    private static String applicationYaml(String key) throws IOException {
        Object value = new YamlPropertySourceLoader().load("application.yaml", new FileSystemResource("application.yaml")).get(0).getProperty(key);
        assertThat(value).as(key + " in application.yaml").isNotNull();
        return value.toString();
    }

    private static StandardEnvironment environment(String format) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(LogFormatEnvironmentPostProcessor.FORMAT, format)));
        return environment;
    }

    private static LoggingEvent event(LoggerContext context) {
        Exception cause = new IllegalArgumentException("platform answered 401 for /openapi/v1/person/add?appkey=demo&token=" + TOKEN);
        Exception failure = new IllegalStateException("push to http://gateway/sophonsight/access-records?key=" + PUSH_KEY + " failed", cause);
        return new LoggingEvent(SecretMaskingTest.class.getName(), context.getLogger("io.sophonsight.gateway.push"),
                Level.WARN, MESSAGE, failure, null);
    }

    private static void assertMasked(String output) {
        assertThat(output).as("log output").doesNotContain(PUSH_KEY).doesNotContain(TOKEN)
                .doesNotContain(TOKEN.substring(4));
    }
}
