package io.sophonsight.gateway.tooling;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Where the flows come from when the gateway is started outside the folder that holds {@code routes/}. The jar
 * carries the repository's {@code routes/*.camel.yaml} (and {@code application.yaml}) as defaults: with the default
 * include pattern ({@code file:routes/*.camel.yaml}, no {@code GATEWAY_ROUTES}) and no {@code routes/} folder in the
 * working directory, the bundled flows run and one INFO line says so and how to run your own. A {@code routes/}
 * folder in the working directory always wins, whole: its files are the flows. A pattern set explicitly
 * ({@code GATEWAY_ROUTES}) whose folder does not exist stops the start with one line naming the folder.
 */
public class RoutesLocation implements EnvironmentPostProcessor {

    static final String PATTERN = "camel.main.routes-include-pattern";
    static final String EXPLICIT = "GATEWAY_ROUTES";

    private final Log log;

    public RoutesLocation(DeferredLogFactory logs) {
        this.log = logs.getLog(RoutesLocation.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String pattern = environment.getProperty(PATTERN, "");
        if (!pattern.startsWith("file:") || pattern.contains(",") || pattern.lastIndexOf('/') < 0) {
            return; // classpath:, several patterns, or a bare file name: Camel resolves those as written
        }
        String location = pattern.substring("file:".length());
        Path folder = Path.of(location.substring(0, location.lastIndexOf('/')));
        if (Files.isDirectory(folder)) {
            return;
        }
        Path absolute = folder.toAbsolutePath().normalize();
        boolean explicit = environment.containsProperty(EXPLICIT) || folder.isAbsolute();
        if (explicit) {
            throw new IllegalStateException("No folder " + absolute + " for the flows (" + PATTERN + " = " + pattern
                    + "): point GATEWAY_ROUTES at the routes folder, e.g. GATEWAY_ROUTES=file:/opt/gateway/routes/*.camel.yaml");
        }
        String bundled = "classpath:" + location;
        environment.getPropertySources().addFirst(new MapPropertySource("bundledRoutes", Map.of(PATTERN, bundled)));
        log.info("No folder " + absolute + ": running the flows bundled in the jar (" + bundled + "). To run your own,"
                + " start the gateway in the folder that holds routes/ or set GATEWAY_ROUTES=file:/path/to/routes/*.camel.yaml");
    }
}
