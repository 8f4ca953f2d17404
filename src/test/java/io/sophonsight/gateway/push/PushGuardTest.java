package io.sophonsight.gateway.push;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guard's address allowlist and key check, without a server (the allowlist is off in the shared test context). */
class PushGuardTest {

    private final PushKey key = new PushKey("a-long-enough-test-push-key", false);

    private static MockHttpServletRequest from(String remoteAddress) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/sophonsight/access-records");
        request.setRemoteAddr(remoteAddress);
        return request;
    }

    @Test
    void anAddressOutsideTheAllowlistIsRefusedWith403EvenWithTheKey() {
        PushGuard guard = new PushGuard(key, List.of("10.20.0.0/16", "192.168.1.7", "fd00::/8"));
        assertThatThrownBy(() -> guard.admit(from("10.21.0.1"), key.value(), "/push"))
                .isInstanceOfSatisfying(PushRejectedException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(403));
        assertThatThrownBy(() -> guard.admit(from("192.168.1.8"), key.value(), "/push"))
                .isInstanceOfSatisfying(PushRejectedException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(403));
    }

    @Test
    void anAllowedAddressWithTheKeyPasses() {
        PushGuard guard = new PushGuard(key, List.of("10.20.0.0/16", "192.168.1.7", "fd00::/8"));
        for (String address : List.of("10.20.255.1", "192.168.1.7", "fd12:3456::1", "::ffff:10.20.0.9")) {
            guard.admit(from(address), key.value(), "/push");
        }
    }

    @Test
    void withoutAnAllowlistOnlyTheKeyMatters() {
        PushGuard guard = new PushGuard(key, List.of());
        guard.admit(from("203.0.113.9"), key.value(), "/push");
        assertThatThrownBy(() -> guard.admit(from("203.0.113.9"), "a-long-enough-test-push-kez", "/push"))
                .isInstanceOfSatisfying(PushRejectedException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(401));
        assertThatThrownBy(() -> guard.admit(from("203.0.113.9"), null, "/push"))
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
