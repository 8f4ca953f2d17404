package io.sophonsight.gateway.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.push.PushGuard;
import io.sophonsight.gateway.push.PushKey;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The allowlists judge the socket peer; {@code X-Forwarded-For} counts only when the peer is one of the proxies named
 * in {@code GATEWAY_TRUSTED_PROXIES}, and then only the hops those proxies added. Tomcat's RemoteIpValve (which
 * Spring Boot switches on by itself on Kubernetes, trusting every private address) stays off.
 */
class TrustedProxyTest extends GatewayTestSupport {

    private static final String PUSH = "/sophonsight/access-records";
    private static final PushKey KEY = new PushKey("a-long-enough-test-push-key", false);

    @Autowired
    private ServerProperties server;

    @Autowired
    private PushKey pushKey;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void tomcatNeverRewritesTheCallersAddressFromForwardedHeadersEvenOnKubernetes() {
        // Given the gateway's settings: an explicit strategy, so Kubernetes' auto-detection cannot turn the valve on
        assertThat(server.getForwardHeadersStrategy()).isEqualTo(ServerProperties.ForwardHeadersStrategy.NONE);
    }

    @Test
    void aSpoofedForwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        // Given no trusted proxies (the default)
        // When a caller on this machine claims to be 10.9.0.5, with a push the gateway keeps as a dead letter
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(gatewayUrl(PUSH + "?key=" + pushKey.value())))
                .header("X-Forwarded-For", "10.9.0.5").POST(HttpRequest.BodyPublishers.ofString("[]")).build(),
                HttpResponse.BodyHandlers.ofString());

        // Then the gateway saw the socket peer, not the claimed address
        assertThat(answer.statusCode()).isEqualTo(400);
        Map<String, Object> deadLetter = jdbc.queryForMap(
                "SELECT * FROM dead_letter WHERE flow = 'access-record-push' ORDER BY id DESC LIMIT 1");
        assertThat(deadLetter.get("source_address")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    @Test
    void theAllowlistJudgesTheSocketPeerUnlessItIsATrustedProxy() throws Exception {
        // Given pushes allowed from 10.9.0.0/16 only, and the ingress at 10.250.0.0/16 as the trusted proxies
        RequestGuardFilter filter = filter(List.of("10.250.0.0/16"));

        // When a caller outside both sends a spoofed X-Forwarded-For, Then its own address is judged: 403
        assertThat(push(filter, "192.168.7.7", "10.9.0.5")).isEqualTo(403);
        // When a private address that is no trusted proxy does the same (what RemoteIpValve would trust), Then 403
        assertThat(push(filter, "172.16.0.9", "10.9.0.5")).isEqualTo(403);
        // When the trusted ingress forwards an allowed client, Then the client is judged: admitted
        assertThat(push(filter, "10.250.0.2", "10.9.0.5")).isEqualTo(200);
        // When a client spoofs a hop in front of the ingress, Then the hop the ingress saw is judged: 403
        assertThat(push(filter, "10.250.0.2", "10.9.0.5, 203.0.113.7")).isEqualTo(403);
        // When the header holds no address, Then the client is unknown: 403
        assertThat(push(filter, "10.250.0.2", "10.9.0.5, not-an-address")).isEqualTo(403);
        // When chained trusted proxies forward an allowed client, Then the first untrusted hop from the right is judged
        assertThat(push(filter, "10.250.0.2", "10.9.0.5, 10.250.0.3")).isEqualTo(200);

        // And without trusted proxies the header is never read, even from the ingress' address
        assertThat(push(filter(List.of()), "10.250.0.2", "10.9.0.5")).isEqualTo(403);
    }

    @Test
    void theApiAllowlistJudgesTheSameWay() throws Exception {
        // Given the API allowed from 10.30.0.0/16 only, behind the ingress at 10.250.0.0/16
        RequestGuardFilter filter = filter(List.of("10.250.0.0/16"));

        // When a kiosk outside the block calls with a valid key and a spoofed header, Then 403
        assertThat(api(filter, "192.168.7.7", "10.30.0.4")).isEqualTo(403);
        // When the ingress forwards a kiosk inside the block, Then it is admitted
        assertThat(api(filter, "10.250.0.2", "10.30.0.4")).isEqualTo(200);
    }

    private static int api(RequestGuardFilter filter, String peer, String forwardedFor) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/devices");
        request.setServletPath("/api/devices");
        request.setRemoteAddr(peer);
        request.addHeader("Authorization", "Bearer an-api-key-0123456789");
        request.addHeader("X-Forwarded-For", forwardedFor);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response.getStatus();
    }

    private static int push(RequestGuardFilter filter, String peer, String forwardedFor) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", PUSH);
        request.setServletPath(PUSH);
        request.setRemoteAddr(peer);
        request.setQueryString("key=" + KEY.value());
        request.addHeader("X-Forwarded-For", forwardedFor);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        if (chain.getRequest() != null) {
            // every admitted push here comes from the allowed client behind the ingress, which routes see as the caller
            assertThat(chain.getRequest().getRemoteAddr()).isEqualTo("10.9.0.5");
        }
        return response.getStatus();
    }

    private static RequestGuardFilter filter(List<String> trustedProxies) {
        return new RequestGuardFilter(new GatewayKeys("an-api-key-0123456789", "an-admin-key-0123456789", false),
                new PushGuard(KEY, List.of("10.9.0.0/16")), new ClientAddress(trustedProxies),
                PUSH, "/sophonsight/device-status", List.of("/api/hr-sync/**"), List.of("/actuator/**"),
                List.of("/api/visitors"), List.of("10.30.0.0/16"), DataSize.ofMegabytes(16), DataSize.ofMegabytes(4));
    }
}
