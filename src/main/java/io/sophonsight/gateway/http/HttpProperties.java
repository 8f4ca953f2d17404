package io.sophonsight.gateway.http;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code gateway.http.*} keys: how the gateway's HTTP port sees its callers and runs their requests.
 *
 * @param trustedProxies IPs / CIDR blocks of the proxies (ingress) in front of the gateway: only from them is
 *                       X-Forwarded-For read for the allowlists; empty = the allowlists judge the socket peer
 * @param routeOnRequestThread Route platform-http requests on the Tomcat thread that received them (no async
 *                             hand-off, no second dispatch); false = Camel's own engine
 */
@Validated
@ConfigurationProperties("gateway.http")
public record HttpProperties(
        @DefaultValue("") List<String> trustedProxies,
        @DefaultValue("true") boolean routeOnRequestThread) {
}
