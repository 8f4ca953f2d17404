package io.sophonsight.gateway.operations;

import java.nio.file.Files;
import java.nio.file.Path;

import io.sophonsight.gateway.GatewayApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A wrong configuration value stops the gateway at start-up, and the report names every wrong key of the
 * section with its value and what is wrong, one per line (Spring Boot's failure analysis of the validated
 * {@code @ConfigurationProperties} classes), instead of a stack trace from deep inside a bean or a flow that
 * misbehaves later.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationValidationTest {

    @Test
    void outOfRangeValuesStopTheStartNamingEachKeyItsValueAndTheRule(CapturedOutput output) throws Exception {
        // Given a nesting depth of 0 and an in-flight heap share above 1 (two wrong keys of push.*)
        // When the gateway starts
        assertThatThrownBy(() -> start("--push.max-nesting-depth=0", "--push.in-flight.heap-share=1.5"))
                .isInstanceOf(Exception.class);

        // Then the report names both keys, their values and the rule they break, one line each
        assertThat(output).contains("APPLICATION FAILED TO START");
        assertThat(output).containsPattern("Property: push\\.max-?[nN]esting-?[dD]epth");
        assertThat(output).contains("Value: \"0\"").contains("must be greater than or equal to 1");
        assertThat(output).containsPattern("Property: push\\.in-?[fF]light\\.heap-?[sS]hare");
        assertThat(output).contains("Value: \"1.5\"").contains("must be less than or equal to 1");
    }

    @Test
    void aValueOfTheWrongTypeStopsTheStartNamingTheKey(CapturedOutput output) throws Exception {
        // Given a body size that is not a size
        // When the gateway starts
        assertThatThrownBy(() -> start("--push.max-body-size=sixteen-megabytes")).isInstanceOf(Exception.class);

        // Then the report names the key, the value and the type it should have
        assertThat(output).contains("APPLICATION FAILED TO START");
        assertThat(output).contains("Failed to bind properties under 'push.max-body-size'");
        assertThat(output).contains("Value: \"sixteen-megabytes\"");
    }

    /** The real application on free ports and a fresh data folder, with the given command-line overrides. */
    private static void start(String... overrides) throws Exception {
        Path dataDir = Files.createDirectories(Path.of("target/test-data/configuration-validation"));
        String[] base = {"--server.port=0", "--management.server.port=0", "--simulator.port=0",
                "--camel.component.jolokia.enabled=false", "--gateway.data-dir=" + dataDir.toAbsolutePath(),
                "--spring.jmx.enabled=false"};
        String[] args = new String[base.length + overrides.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(overrides, 0, args, base.length, overrides.length);
        try (ConfigurableApplicationContext started = new SpringApplicationBuilder(GatewayApplication.class).run(args)) {
            throw new AssertionError("the gateway started with " + String.join(" ", overrides));
        }
    }
}
