package io.sophonsight.gateway.operations;

import java.nio.file.Path;

import io.sophonsight.gateway.console.ConsoleSettings;
import io.sophonsight.gateway.simulator.SophonSightSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * One log line, once everything is up, telling a newcomer where the gateway, the management port, the console, the
 * simulator and the data are. The console's password appears only when it was generated for the demo (simulator on,
 * no GATEWAY_CONSOLE_USER): a configured password is never logged.
 */
@Component
public class StartupSummary {

    private static final Logger LOG = LoggerFactory.getLogger(StartupSummary.class);

    private final ObjectProvider<SophonSightSimulator> simulator;
    private final ConsoleSettings console;
    private final String dataDir;

    public StartupSummary(ObjectProvider<SophonSightSimulator> simulator, ConsoleSettings console,
                          GatewayProperties gateway) {
        this.simulator = simulator;
        this.console = console;
        this.dataDir = gateway.dataDir();
    }

    @EventListener
    public void onReady(ApplicationReadyEvent event) {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : -1;
        SophonSightSimulator sim = simulator.getIfAvailable();
        var environment = event.getApplicationContext().getEnvironment();
        String management = environment.getProperty("local.management.port", environment.getProperty("management.server.port", ""));
        LOG.info("sophonsight-gateway ready: gateway http://localhost:{} | management http://localhost:{}/actuator "
                        + "(health, prometheus) | console {} | SophonSight {} | simulator {} | data folder {}",
                port, management, console(management), environment.getProperty("sophonsight.base-url"),
                sim == null ? "off" : "http://localhost:" + sim.port() + " (state: /simulator/state)",
                Path.of(dataDir).toAbsolutePath().normalize());
    }

    /** Where the console is and who logs in; the password only when it was generated for the demo. */
    private String console(String managementPort) {
        if (!console.enabled()) {
            return "off (GATEWAY_CONSOLE_USER)";
        }
        String url = "http://localhost:" + managementPort + "/actuator/hawtio/";
        return console.generatedPassword() != null
                ? url + " (demo login " + console.user() + " / " + console.generatedPassword() + ")"
                : url + " (user " + console.user() + ")";
    }
}
