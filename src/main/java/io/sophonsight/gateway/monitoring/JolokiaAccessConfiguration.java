package io.sophonsight.gateway.monitoring;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jolokia.support.spring.SpringJolokiaConfigHolder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Jolokia agent of {@code camel-jolokia-starter} (JMX over HTTP for hawtio and port-forwards), set up
 * from {@code monitoring.jolokia.*}: its own port, on the loopback interface unless {@code JOLOKIA_HOST} names
 * another (then only with {@code JOLOKIA_USER}/{@code JOLOKIA_PASSWORD}), the access policy
 * {@code jolokia-access.xml} (reads, Camel's lifecycle and dumps, the gateway's documented operations; never an
 * exchange sent into an endpoint), no JSR-160 proxy, no stack traces in answers, and HTTP basic authentication
 * when {@code JOLOKIA_USER} is set.
 *
 * <p>The bean replaces the starter's {@code camelConfigHolder} (same name): that one would apply the
 * Camel-only restrictor, which hides {@code io.sophonsight.gateway:*}, and it cannot leave authentication
 * off when the user is empty.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "camel.component.jolokia.enabled", havingValue = "true", matchIfMissing = true)
public class JolokiaAccessConfiguration {

    /** Jolokia's JSR-160 proxy would let a caller make this agent connect to other JMX servers: never wanted. */
    static final String PROXY_SERVICE = "org.jolokia.service.jsr160.Jsr160RequestHandler";

    /** Stops the agent quietly on SIGTERM (see {@link JolokiaShutdown}); static: a bean post-processor. */
    @Bean
    static JolokiaShutdown jolokiaShutdown() {
        return new JolokiaShutdown();
    }

    @Bean("camelConfigHolder")
    SpringJolokiaConfigHolder camelConfigHolder(
            MonitoringProperties monitoring) {
        MonitoringProperties.Jolokia jolokia = monitoring.jolokia();
        return holder(jolokia.host(), jolokia.port(), jolokia.policyLocation(), jolokia.user(), jolokia.password());
    }

    static SpringJolokiaConfigHolder holder(String host, int port, String policyLocation, String user, String password) {
        boolean authenticated = user != null && !user.isBlank();
        if (!authenticated && !isLoopback(host)) {
            throw new IllegalStateException("JOLOKIA_HOST=" + host + " is not the loopback interface and JOLOKIA_USER/JOLOKIA_PASSWORD "
                    + "are not set: the Jolokia agent would answer anyone on the network. Set both, or leave JOLOKIA_HOST unset "
                    + "(127.0.0.1, reached through kubectl port-forward)");
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("host", host);
        config.put("port", Integer.toString(port));
        config.put("autoStart", "true");
        config.putAll(policyConfig(policyLocation));
        if (authenticated) {
            if (password == null || password.isBlank()) {
                throw new IllegalStateException("JOLOKIA_USER is set but JOLOKIA_PASSWORD is empty: set both, or neither "
                        + "(then keep the Jolokia port private)");
            }
            config.put("authMode", "basic");
            config.put("user", user.trim());
            config.put("password", password);
        }
        SpringJolokiaConfigHolder holder = new SpringJolokiaConfigHolder();
        holder.setConfig(config);
        return holder;
    }

    /**
     * What every Jolokia of the gateway applies, the agent on {@code monitoring.jolokia.port} and the console's on the
     * management port alike: the policy with the gateway's restrictor, no JSR-160 proxy, no discovery, no stack traces.
     */
    public static Map<String, String> policyConfig(String policyLocation) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("policyLocation", policyLocation);
        config.put("restrictorClass", GatewayJolokiaRestrictor.class.getName());
        config.put("disabledServices", PROXY_SERVICE);
        config.put("discoveryEnabled", "false");
        // errors name the failure, never the gateway's stack trace
        config.put("allowErrorDetails", "false");
        config.put("includeStackTrace", "false");
        return config;
    }

    /** True for 127.0.0.1, ::1, localhost: the agent is reachable only from inside the pod (or machine). */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host.strip()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("JOLOKIA_HOST=" + host + " is not a known address of this machine", e);
        }
    }
}
