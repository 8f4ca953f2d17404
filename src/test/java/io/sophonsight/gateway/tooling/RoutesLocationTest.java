package io.sophonsight.gateway.tooling;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where the flows come from: the working directory's {@code routes/} when it is there, else the flows bundled in the
 * jar (default pattern), else (a pattern set explicitly) a start that stops with the folder's name.
 */
class RoutesLocationTest {

    private final RoutesLocation location = new RoutesLocation(new DeferredLogs());

    @Test
    void aRoutesFolderInTheWorkingDirectoryIsUsedAsIs() {
        // Given the default pattern, started in the project folder (which has routes/)
        StandardEnvironment environment = environment(Map.of(RoutesLocation.PATTERN, "file:routes/*.camel.yaml"));

        // When the location is settled
        location.postProcessEnvironment(environment, new SpringApplication());

        // Then the files of routes/ are the flows
        assertThat(environment.getProperty(RoutesLocation.PATTERN)).isEqualTo("file:routes/*.camel.yaml");
    }

    @Test
    void withoutTheFolderTheDefaultPatternFallsBackToTheFlowsBundledInTheJar() {
        // Given the default pattern and a working directory without that folder
        StandardEnvironment environment = environment(Map.of(RoutesLocation.PATTERN, "file:no-routes-here/*.camel.yaml"));

        // When the location is settled
        location.postProcessEnvironment(environment, new SpringApplication());

        // Then the same files are read from the jar's classpath
        assertThat(environment.getProperty(RoutesLocation.PATTERN)).isEqualTo("classpath:no-routes-here/*.camel.yaml");
    }

    @Test
    void aMissingFolderSetExplicitlyStopsTheStartNamingItAndHowToPointAtIt() {
        // Given GATEWAY_ROUTES pointing at a folder that does not exist
        StandardEnvironment environment = environment(Map.of(RoutesLocation.PATTERN, "file:/no/such/folder/*.camel.yaml",
                RoutesLocation.EXPLICIT, "file:/no/such/folder/*.camel.yaml"));

        // Then the start stops with one message naming the folder and the variable
        assertThatThrownBy(() -> location.postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageContaining("/no/such/folder").hasMessageContaining("GATEWAY_ROUTES");
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
