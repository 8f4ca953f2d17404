package io.sophonsight.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the gateway's REST API (visitors, photos, devices, HR sync administration) with one key,
 * {@code GATEWAY_API_KEY}, sent as {@code Authorization: Bearer <key>} or {@code X-Api-Key: <key>}.
 * Every request is guarded unless its path is one of the open ones: the push receivers and the
 * dead-letter replay (they carry the push key in the URL, the only thing the platform can send). The
 * actuator is not on this port (management.server.port). So a new endpoint added in a
 * YAML flow is guarded without anyone remembering it.
 *
 * <p>With no key set the API is open only while the built-in simulator runs (the one-command demo,
 * with a WARN at start-up); against a real platform a missing key stops start-up, as the push key does.
 */
@Component
public class ApiKeyFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyFilter.class);
    private static final int MIN_LENGTH = 16;
    private static final String BEARER = "Bearer ";

    private final byte[] keyDigest;
    private final List<String> openPaths;
    private final AntPathMatcher matcher = new AntPathMatcher();

    public ApiKeyFilter(@Value("${gateway.api.key:}") String key,
                        @Value("${gateway.api.open-paths}") List<String> openPaths,
                        @Value("${simulator.enabled:false}") boolean simulatorEnabled) {
        this.openPaths = openPaths.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
        if (key == null || key.isBlank()) {
            if (!simulatorEnabled) {
                throw new IllegalStateException("GATEWAY_API_KEY is not set: it is required when the built-in "
                        + "simulator is off (the REST API never runs open against a real platform)");
            }
            LOG.warn("GATEWAY_API_KEY not set: the REST API is open, as for the demo with the built-in simulator; "
                    + "set it before anyone else can reach this port");
            this.keyDigest = null;
        } else {
            if (key.trim().length() < MIN_LENGTH) {
                LOG.warn("GATEWAY_API_KEY is shorter than {} characters: use a long random value", MIN_LENGTH);
            }
            this.keyDigest = digest(key.trim());
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return keyDigest == null || openPaths.stream().anyMatch(open -> matcher.match(open, path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = presentedKey(request);
        if (presented != null && MessageDigest.isEqual(keyDigest, digest(presented))) {
            chain.doFilter(request, response);
            return;
        }
        String reason = presented == null
                ? "missing API key: send the header Authorization: Bearer <GATEWAY_API_KEY> (or X-Api-Key)"
                : "wrong API key";
        LOG.info("REST API request {} {} from {} refused: {}", request.getMethod(), request.getRequestURI(),
                request.getRemoteAddr(), presented == null ? "missing API key" : "wrong API key");
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"sophonsight-gateway\"");
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"status\":401,\"error\":\"" + reason + "\"}");
    }

    private static String presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim();
        }
        String header = request.getHeader("X-Api-Key");
        return header == null ? null : header.trim();
    }

    /** Digests of equal length, so neither the key's content nor its length leaks through timing. */
    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
