package io.sophonsight.gateway.monitoring;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code monitoring.*} keys: the Jolokia agent (JMX over HTTP) and the gauges that read the database.
 *
 * @param jolokia The Jolokia agent on its own port
 * @param metrics The database-reading gauges
 */
@Validated
@ConfigurationProperties("monitoring")
public record MonitoringProperties(@Valid @DefaultValue Jolokia jolokia, @Valid @DefaultValue Metrics metrics) {

    /**
     * @param host Interface of the Jolokia agent: loopback, reached through kubectl port-forward; any other needs
     *             JOLOKIA_USER/JOLOKIA_PASSWORD (else start-up fails)
     * @param port Port of the Jolokia agent: JMX over HTTP at http://host:port/jolokia/
     * @param user Basic-auth user of the Jolokia agent; empty = no authentication, allowed on the loopback interface only
     * @param password Basic-auth password of the Jolokia agent, required with a user: environment or Kubernetes Secret only
     * @param policyLocation Access policy: which MBeans may be read, written and invoked over Jolokia (classpath: or file: URL)
     */
    public record Jolokia(
            @NotBlank @DefaultValue("127.0.0.1") String host,
            @Min(0) @Max(65535) @DefaultValue("8778") int port,
            @DefaultValue("") String user,
            @DefaultValue("") String password,
            @NotBlank @DefaultValue("classpath:/jolokia-access.xml") String policyLocation) {
    }

    /**
     * @param dbCache How long the gauges that read the database reuse one reading, so scrapes stay cheap
     * @param dbWait Longest a scrape waits for that reading; slower gives NaN instead of a hanging scrape
     */
    public record Metrics(
            @NotNull @DefaultValue("5s") Duration dbCache,
            @NotNull @DefaultValue("2s") Duration dbWait) {
    }
}
