package io.sophonsight.gateway.logging;

import java.util.Locale;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code gateway.log-format} ({@code LOG_FORMAT}): {@code text} (default, Spring Boot's console layout) or
 * {@code json} (one ECS JSON object per line, Spring Boot's structured logging, for log collectors on Kubernetes).
 * Runs before the logging system starts, so the very first line already has the chosen format; an explicit
 * {@code logging.structured.format.console} (e.g. {@code logstash}) is left as it is.
 */
public class LogFormatEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String FORMAT = "gateway.log-format";
    static final String STRUCTURED_CONSOLE = "logging.structured.format.console";
    static final String BANNER = "spring.main.banner-mode";
    /** The structured format {@code json} stands for: Elastic Common Schema, read as is by Elastic, Loki, OpenSearch, Datadog. */
    static final String JSON_FORMAT = "ecs";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty(FORMAT, "text").trim().toLowerCase(Locale.ROOT);
        switch (format) {
            case "", "text" -> { }
            case "json" -> {
                String explicit = environment.getProperty(STRUCTURED_CONSOLE, "");
                // every line JSON: no ASCII-art banner before the first one
                environment.getPropertySources().addFirst(new MapPropertySource("gatewayLogFormat", explicit.isBlank()
                        ? Map.of(STRUCTURED_CONSOLE, JSON_FORMAT, BANNER, "off") : Map.of(BANNER, "off")));
            }
            default -> throw new IllegalArgumentException("gateway.log-format (LOG_FORMAT) must be text or json, not '"
                    + environment.getProperty(FORMAT) + "'");
        }
    }
}
