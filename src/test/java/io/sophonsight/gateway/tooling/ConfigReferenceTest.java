package io.sophonsight.gateway.tooling;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.boot.env.OriginTrackedMapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code docs/configuration.md} ({@link ConfigReference}) is generated from application.yaml: it fails when
 * a key is missing or stale there, when a key has no comment, or when a documented variable would not
 * actually override its key.
 */
class ConfigReferenceTest {

    private static final Path PROJECT = Path.of(".");

    @Test
    void configurationReferenceIsWhatApplicationYamlGivesNow() throws Exception {
        // Given application.yaml and docs/configuration.md as they are
        String fresh = new ConfigReference(PROJECT).markdown();
        Path document = PROJECT.resolve(ConfigReference.DOCUMENT);
        String current = Files.isRegularFile(document) ? Files.readString(document) : "";

        // Then the document is exactly the generated reference
        if (!current.equals(fresh)) {
            fail(ConfigReference.DOCUMENT + " differs from application.yaml. Regenerate it with\n    "
                    + ConfigReference.REGENERATE + "\nor replace its content with:\n" + fresh);
        }
    }

    @Test
    void everyKeyOfApplicationYamlHasACommentSayingWhy() throws Exception {
        // Given every leaf key of application.yaml, Then each has a comment line right above it
        List<String> offenders = new ConfigReference(PROJECT).uncommented().stream()
                .map(key -> "application.yaml:" + key.line() + ": " + key.name()).toList();
        assertThat(offenders).as("keys without a one-line comment above them").isEmpty();
    }

    @Test
    void referenceListsExactlyTheKeysSpringBootReads() throws Exception {
        // Given the keys Spring Boot's own YAML loader reads from every document of application.yaml
        Set<String> spring = new TreeSet<>();
        for (PropertySource<?> document : FlowFiles.applicationYaml(PROJECT)) {
            ((OriginTrackedMapPropertySource) document).getSource().keySet()
                    .forEach(key -> spring.add(key.replaceAll("\\[\\d+]$", "")));
        }
        // Then the reference has the same keys, none missing and none invented
        Set<String> documented = new TreeSet<>();
        new ConfigReference(PROJECT).keys().forEach(key -> documented.add(key.name()));
        assertThat(documented).isEqualTo(spring);
    }

    @Test
    void documentedVariablesOverrideTheirKeys() throws Exception {
        // Given every key and the environment variable the reference names for it
        for (ConfigReference.Key key : new ConfigReference(PROJECT).keys()) {
            if (key.variable() == null || key.explicitVariable() != null) {
                continue; // explicit ${NAME:default}: Spring resolves the name itself
            }
            // When only that variable is set, Then Spring Boot's relaxed binding reads it for the key
            StandardEnvironment environment = new StandardEnvironment();
            environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of(key.variable(), "from-env")));
            ConfigurationPropertySources.attach(environment);
            assertThat(environment.getProperty(key.name())).as(key.variable() + " -> " + key.name()).isEqualTo("from-env");
        }
    }

    @Test
    void keysDefaultsVariablesAndProfilesAreReadFromTheFile() {
        // Given a small application.yaml with an explicit variable, a relaxed key, a folded SQL, a list,
        // a key without comment and a dev profile document
        List<ConfigReference.Key> keys = ConfigReference.parse(List.of(
                "server:",
                "  # HTTP port",
                "  port: ${SERVER_PORT:8080}",
                "push:",
                "  # Base URL, built from another key",
                "  url: ${PUSH_URL:http://localhost:${server.port}/x}",
                "  sql:",
                "    # Store an event",
                "    insert: >-",
                "      INSERT INTO t (a)",
                "      VALUES (:#a)",
                "  # Sources",
                "  sources:",
                "    - a",
                "    - b",
                "  quiet: \"#dataSource\"",
                "---",
                "spring:",
                "  config:",
                "    activate:",
                "      # Only in dev",
                "      on-profile: dev",
                "camel:",
                "  main:",
                "    # Reload routes",
                "    routes-reload-enabled: true"));

        // Then each leaf key has its name, default, variable, comment and profile
        assertThat(keys).extracting(ConfigReference.Key::name).containsExactly("server.port", "push.url",
                "push.sql.insert", "push.sources", "push.quiet", "spring.config.activate.on-profile",
                "camel.main.routes-reload-enabled");
        assertThat(keys.get(0).variable()).isEqualTo("SERVER_PORT");
        assertThat(keys.get(0).defaultValue()).isEqualTo("8080");
        assertThat(keys.get(1).defaultValue()).isEqualTo("http://localhost:${server.port}/x");
        assertThat(keys.get(2).defaultValue()).isEqualTo("INSERT INTO t (a) VALUES (:#a)");
        assertThat(keys.get(2).variable()).isEqualTo("PUSH_SQL_INSERT");
        assertThat(keys.get(3).defaultValue()).isEqualTo("a,b");
        assertThat(keys.get(4).comment()).isEmpty();
        assertThat(keys.get(4).defaultValue()).isEqualTo("#dataSource");
        assertThat(keys.get(5).variable()).isNull();
        assertThat(keys.get(6).profile()).isEqualTo("dev");
        assertThat(keys.get(6).comment()).isEqualTo("Reload routes");
        assertThat(keys.get(0).profile()).isNull();
    }
}
