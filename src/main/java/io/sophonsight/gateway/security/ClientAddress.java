package io.sophonsight.gateway.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import io.sophonsight.gateway.http.HttpProperties;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.stereotype.Component;

/**
 * The address a request comes from, as the allowlists judge it: the socket peer, unless the peer is one of
 * the proxies named in {@code GATEWAY_TRUSTED_PROXIES}; only then is {@code X-Forwarded-For} read, from the
 * right, skipping the trusted proxies, and the first address that is not one of them is the client.
 *
 * <p>Tomcat's own RemoteIpValve ({@code server.forward-headers-strategy: native}, which Spring Boot turns on
 * by itself on Kubernetes) trusts every private address and takes only regular expressions, so
 * {@code application.yaml} pins the strategy to {@code none} and this class alone reads the header.
 */
@Component
public class ClientAddress {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    private final List<AddressBlock> trustedProxies;

    @Autowired
    public ClientAddress(HttpProperties http) {
        this(http.trustedProxies());
    }

    public ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = AddressBlock.parseAll(trustedProxies, "GATEWAY_TRUSTED_PROXIES");
    }

    /** Start-up check: a forward-headers strategy other than none would rewrite the peer before the allowlists see it. */
    @Autowired
    void requireNoForwardHeadersStrategy(ServerProperties server) {
        ServerProperties.ForwardHeadersStrategy strategy = server.getForwardHeadersStrategy();
        if (strategy != null && strategy != ServerProperties.ForwardHeadersStrategy.NONE) {
            throw new IllegalStateException("server.forward-headers-strategy (SERVER_FORWARD_HEADERS_STRATEGY) is " + strategy
                    + ": it must stay none, or X-Forwarded-For from any private address decides who the caller is; "
                    + "name the proxies in GATEWAY_TRUSTED_PROXIES instead");
        }
    }

    /**
     * The client of a request whose socket peer is {@code peer}, given the {@code X-Forwarded-For} header
     * values in the order received. An entry that is not an IP literal ends the walk: the client is then
     * {@code unknown}, which no allowlist contains.
     */
    public String resolve(String peer, Enumeration<String> forwardedFor) {
        if (trustedProxies.isEmpty() || !AddressBlock.anyContains(trustedProxies, peer) || forwardedFor == null) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : Collections.list(forwardedFor)) {
            for (String hop : value.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (AddressBlock.literal(hop) == null) {
                return "unknown";
            }
            client = hop;
            if (!AddressBlock.anyContains(trustedProxies, hop)) {
                return hop;
            }
        }
        return client;
    }

    public boolean hasTrustedProxies() {
        return !trustedProxies.isEmpty();
    }
}
