package io.sophonsight.gateway.console;

import java.util.Map;

import io.hawt.web.auth.AuthenticationFilter;
import io.sophonsight.gateway.monitoring.JolokiaAccessConfiguration;
import jakarta.servlet.DispatcherType;
import org.apache.catalina.valves.RemoteIpValve;
import org.jolokia.server.core.http.AgentServlet;
import io.sophonsight.gateway.monitoring.MonitoringProperties;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The console's part of the management server (MANAGEMENT_PORT): hawtio serves its pages at
 * {@code /actuator/hawtio}; this adds, in front of and next to them:
 * <ul>
 *   <li>{@link ConsoleAccessFilter}: console off (404) or loopback only (403), before anything else;</li>
 *   <li>the console's Jolokia at {@code /actuator/hawtio/jolokia} (where hawtio looks for it), a Jolokia servlet
 *       under exactly the policy and restrictor of the gateway's Jolokia agent ({@code jolokia-access.xml}): a
 *       console user cannot run what the agent refuses ({@code requestBody}, ...). Jolokia's own actuator endpoint
 *       stays unexposed, so this is the only Jolokia on the management port;</li>
 *   <li>hawtio's login check on that Jolokia (401 without a login: {@code hawtio.noCredentials401});</li>
 *   <li>the management server takes the socket peer as the caller, whatever {@code X-Forwarded-For} says (Spring Boot
 *       adds Tomcat's RemoteIpValve on Kubernetes, which would let a pod claim to be 127.0.0.1).</li>
 * </ul>
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
public class ConsoleManagementConfiguration {

    /** The console's path: the management base path and the hawtio endpoint's path ({@code /actuator/hawtio}). */
    static String consolePath(WebEndpointProperties endpoints) {
        String base = endpoints.getBasePath();
        String hawtio = endpoints.getPathMapping().getOrDefault("hawtio", "hawtio");
        return (base.endsWith("/") ? base : base + "/") + hawtio;
    }

    @Bean
    FilterRegistrationBean<ConsoleAccessFilter> consoleAccessFilter(ConsoleSettings settings, WebEndpointProperties endpoints) {
        FilterRegistrationBean<ConsoleAccessFilter> filter = new FilterRegistrationBean<>(new ConsoleAccessFilter(settings));
        String path = consolePath(endpoints);
        filter.addUrlPatterns(path, path + "/*");
        filter.setDispatcherTypes(DispatcherType.REQUEST);
        filter.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return filter;
    }

    @Bean
    ServletRegistrationBean<AgentServlet> consoleJolokia(WebEndpointProperties endpoints,
            MonitoringProperties monitoring) {
        String policyLocation = monitoring.jolokia().policyLocation();
        ServletRegistrationBean<AgentServlet> servlet = new ServletRegistrationBean<>(new AgentServlet(),
                consolePath(endpoints) + "/jolokia/*");
        Map<String, String> config = JolokiaAccessConfiguration.policyConfig(policyLocation);
        servlet.setInitParameters(config);
        servlet.setName("consoleJolokia");
        return servlet;
    }

    @Bean
    FilterRegistrationBean<AuthenticationFilter> consoleJolokiaLogin(WebEndpointProperties endpoints) {
        FilterRegistrationBean<AuthenticationFilter> filter = new FilterRegistrationBean<>(new AuthenticationFilter());
        filter.addUrlPatterns(consolePath(endpoints) + "/jolokia/*");
        filter.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ERROR);
        filter.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return filter;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> managementPeerIsTheCaller(Environment environment) {
        return new ManagementPeerIsTheCaller(ManagementPortType.get(environment) == ManagementPortType.DIFFERENT);
    }

    /** Removes Tomcat's RemoteIpValve from the management server (only a management server of its own). */
    static final class ManagementPeerIsTheCaller implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        private final boolean ownServer;

        ManagementPeerIsTheCaller(boolean ownServer) {
            this.ownServer = ownServer;
        }

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            if (ownServer) {
                factory.setEngineValves(factory.getEngineValves().stream().filter(valve -> !(valve instanceof RemoteIpValve)).toList());
            }
        }

        @Override
        public int getOrder() {
            // after Spring Boot's customizers (which may have added the valve)
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
