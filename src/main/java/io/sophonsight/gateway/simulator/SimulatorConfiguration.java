package io.sophonsight.gateway.simulator;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.push.PushKey;
import io.sophonsight.gateway.sophonsight.SophonSightCredentials;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the built-in SophonSight simulator when {@code simulator.enabled} is true (the embedded
 * default; off in k8s/). It accepts exactly the appkey and secret the gateway signs with, and its
 * pushes carry the gateway's push key (added to the configured URLs when they name none).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "simulator.enabled", havingValue = "true")
public class SimulatorConfiguration {

    @Bean(destroyMethod = "close")
    public SophonSightSimulator sophonSightSimulator(ObjectMapper mapper, SophonSightCredentials credentials,
                                                     ConfigurableEnvironment environment,
                                                     SimulatorProperties settings, PushKey pushKey)
            throws IOException {
        SophonSightSimulator simulator = new SophonSightSimulator(mapper, credentials.appkey(), credentials.secret(),
                new SimulatorPusher.Config(
                        () -> pushKey.addTo(environment.getProperty("simulator.push.access-url", "")),
                        () -> pushKey.addTo(environment.getProperty("simulator.push.device-status-url", ""))),
                settings.photoDownloadEnvelope(), settings.basePath(), settings.paging().settings());
        simulator.seedDemoDevices(settings.demoDevices());
        // the scheduled pushes start once the gateway is ready (pushRoundsOnceReady): before, the receivers answer 404
        simulator.start(settings.host(), settings.port(), 0);
        // like Spring's local.server.port: lets configuration (and tests on port 0) refer to the bound port
        environment.getPropertySources().addFirst(
                new MapPropertySource("simulator", Map.of("local.simulator.port", simulator.port())));
        return simulator;
    }

    /** The demo's scheduled push rounds, from the moment the gateway's receivers are up. */
    @EventListener(ApplicationReadyEvent.class)
    public void pushRoundsOnceReady(ApplicationReadyEvent ready) {
        SophonSightSimulator simulator = ready.getApplicationContext().getBean(SophonSightSimulator.class);
        Duration interval = ready.getApplicationContext().getBean(SimulatorProperties.class).push().interval();
        simulator.startScheduledPushes(interval.toMillis());
    }
}
