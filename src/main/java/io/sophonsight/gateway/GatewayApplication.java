package io.sophonsight.gateway;

import io.sophonsight.gateway.simulator.StandaloneSimulator;
import io.sophonsight.gateway.tooling.FlowValidator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * {@code @SpringBootApplication}, with one more scan exclusion: classes for the management server
 * ({@code @ManagementContextConfiguration}, e.g. the console's) are imported into that server's context only, never
 * scanned into the main one (their filters would land on the push/API port). The typed configuration classes
 * ({@code *Properties}, one per key prefix) are found by {@code @ConfigurationPropertiesScan}.
 */
@SpringBootConfiguration
@ConfigurationPropertiesScan
@EnableAutoConfiguration
@ComponentScan(excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = ManagementContextConfiguration.class)})
public class GatewayApplication {
    /**
     * Starts the gateway. Two tool modes share the jar: {@code validate [projectDir]} checks the flows
     * without starting anything, {@code simulator} runs only the SophonSight simulator.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "validate".equals(args[0])) {
            FlowValidator.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "simulator".equals(args[0])) {
            StandaloneSimulator.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        SpringApplication.run(GatewayApplication.class, args);
    }
}
