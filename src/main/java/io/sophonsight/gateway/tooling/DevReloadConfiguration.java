package io.sophonsight.gateway.tooling;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Turns on {@link HintingRouteReloadStrategy} when {@code gateway.dev.reload.enabled} is true (the dev profile). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "gateway.dev.reload.enabled", havingValue = "true")
public class DevReloadConfiguration {

    @Bean
    public CamelContextConfiguration devRouteReload(DevReloadProperties reload) {
        String directory = reload.directory();
        String pattern = reload.pattern();
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                // nothing before start: the routes load as usual
            }

            @Override
            public void afterApplicationStart(CamelContext context) {
                try {
                    context.addService(new HintingRouteReloadStrategy(directory, pattern), true, true);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot start live route reload on " + directory, e);
                }
            }
        };
    }
}
