package io.sophonsight.gateway.push;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guard's address allowlist and key check, without a server (the allowlist is off in the shared test context). */
class PushGuardTest {

    private final PushKey key = new PushKey("a-long-enough-test-push-key", false);

    private Exchange push(String remoteAddress, String givenKey) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/sophonsight/access-records");
        request.setRemoteAddr(remoteAddress);
        exchange.getMessage().setHeader(Exchange.HTTP_SERVLET_REQUEST, request);
        if (givenKey != null) {
            exchange.getMessage().setHeader("key", givenKey);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, "key=" + givenKey);
        return exchange;
    }

    @Test
    void anAddressOutsideTheAllowlistIsRefusedWith403EvenWithTheKey() {
        PushGuard guard = new PushGuard(key, List.of("10.20.0.0/16", "192.168.1.7", "fd00::/8"));
        assertThatThrownBy(() -> guard.check(push("10.21.0.1", key.value())))
                .isInstanceOfSatisfying(PushRejectedException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(403));
        assertThatThrownBy(() -> guard.check(push("192.168.1.8", key.value())))
                .isInstanceOfSatisfying(PushRejectedException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(403));
    }

    @Test
    void anAllowedAddressWithTheKeyPassesAndTheKeyIsRemovedFromTheMessage() {
        PushGuard guard = new PushGuard(key, List.of("10.20.0.0/16", "192.168.1.7", "fd00::/8"));
        for (String address : List.of("10.20.255.1", "192.168.1.7", "fd12:3456::1", "::ffff:10.20.0.9")) {
            Exchange exchange = push(address, key.value());
            guard.check(exchange);
            assertThat(exchange.getMessage().getHeaders()).doesNotContainKeys("key", Exchange.HTTP_QUERY);
            assertThat(exchange.getMessage().getHeader(PushGuard.SOURCE)).isEqualTo(address);
        }
    }

    @Test
    void withoutAnAllowlistOnlyTheKeyMatters() {
        PushGuard guard = new PushGuard(key, List.of());
        guard.check(push("203.0.113.9", key.value()));
        assertThatThrownBy(() -> guard.check(push("203.0.113.9", "a-long-enough-test-push-kez")))
                .isInstanceOfSatisfying(PushRejectedException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(401));
        assertThatThrownBy(() -> guard.check(push("203.0.113.9", null)))
                .isInstanceOfSatisfying(PushRejectedException.class, e -> assertThat(e.getReason()).contains("missing key"));
    }

    @Test
    void aMissingKeyStopsStartUpAgainstARealPlatform() {
        assertThatThrownBy(() -> new PushKey("", false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GATEWAY_PUSH_KEY");
        assertThat(new PushKey("", true).value()).hasSize(48);
    }

    @Test
    void aKeyInATextIsMasked() {
        assertThat(PushKey.mask("http://gw:8080/sophonsight/access-records?key=s3cr3t&x=1"))
                .isEqualTo("http://gw:8080/sophonsight/access-records?key=****&x=1");
    }
}
