package io.sophonsight.gateway.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import io.sophonsight.gateway.api.ProblemAnswers;
import io.sophonsight.gateway.push.PushGuard;
import io.sophonsight.gateway.push.PushRejectedException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.AntPathMatcher;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The one door of the gateway's HTTP port: every request is judged on its request line and headers alone,
 * before any filter, the HTTP binding or a route reads a byte of its body.
 * <ol>
 *   <li>The caller's address: the socket peer, or the client behind a proxy named in
 *       {@code GATEWAY_TRUSTED_PROXIES} ({@link ClientAddress}); later steps see it as {@code getRemoteAddr()}.</li>
 *   <li>Who may call: push receivers need {@code ?key=} and the push allowlist ({@link PushGuard}); admin paths
 *       ({@code gateway.api.admin-paths}) need {@code GATEWAY_ADMIN_KEY} (a valid API key gets 403); open paths
 *       (probes, the error page) need nothing; every other path, so also one a new YAML flow adds, needs
 *       {@code GATEWAY_API_KEY} or the admin key, and the caller must be in {@code gateway.api.allowed-sources}.</li>
 *   <li>What may be sent: a {@code Content-Encoding} is refused (415: a small compressed body could expand past
 *       any limit); a declared length over the endpoint's limit is refused (413), and so is any body on an endpoint
 *       that takes none; a body without a declared length (chunked) is counted while it is read and the read fails
 *       past the limit ({@link RequestBodyTooLargeException}, answered 413 by whoever reads).</li>
 * </ol>
 * A refused request's body is never read: Tomcat discards at most {@code server.tomcat.max-swallow-size} of it
 * and then closes the connection, so a 1 GB upload costs its headers and a few MB of socket reads.
 */
@Component
@Order(RequestGuardFilter.ORDER)
public class RequestGuardFilter extends OncePerRequestFilter {

    /** Early in the chain: after Spring's encoding and observation filters, before anything that may read a body. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    /** Request attribute set once a chunked body passed its limit (value: the limit in bytes). */
    public static final String TOO_LARGE = "io.sophonsight.gateway.security.bodyTooLarge";

    private static final Logger LOG = LoggerFactory.getLogger(RequestGuardFilter.class);
    private static final String BEARER = "Bearer ";

    private enum Access { PUSH, ADMIN, OPEN, API }

    private final GatewayKeys keys;
    private final PushGuard pushGuard;
    private final ClientAddress clientAddress;
    private final Set<String> pushPaths;
    private final List<String> adminPaths;
    private final List<String> openPaths;
    private final List<String> bodyPaths;
    private final List<AddressBlock> apiAllowed;
    private final long pushMaxBytes;
    private final long apiMaxBytes;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AntPathMatcher matcher = new AntPathMatcher();

    public RequestGuardFilter(GatewayKeys keys, PushGuard pushGuard, ClientAddress clientAddress,
                              @Value("${push.access-path}") String accessPath,
                              @Value("${push.device-status-path}") String deviceStatusPath,
                              @Value("${gateway.api.admin-paths}") List<String> adminPaths,
                              @Value("${gateway.api.open-paths}") List<String> openPaths,
                              @Value("${gateway.api.body-paths}") List<String> bodyPaths,
                              @Value("${gateway.api.allowed-sources:}") List<String> apiAllowedSources,
                              @Value("${push.max-body-size:16MB}") DataSize pushMaxBodySize,
                              @Value("${gateway.api.max-body-size:4MB}") DataSize apiMaxBodySize) {
        this.keys = keys;
        this.pushGuard = pushGuard;
        this.clientAddress = clientAddress;
        this.pushPaths = Set.of(accessPath, deviceStatusPath);
        this.adminPaths = trimmed(adminPaths);
        this.openPaths = trimmed(openPaths);
        this.bodyPaths = trimmed(bodyPaths);
        this.apiAllowed = AddressBlock.parseAll(apiAllowedSources, "gateway.api.allowed-sources");
        this.pushMaxBytes = pushMaxBodySize.toBytes();
        this.apiMaxBytes = apiMaxBodySize.toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = pathOf(request);
        String client = clientAddress.resolve(request.getRemoteAddr(), request.getHeaders(ClientAddress.FORWARDED_FOR));
        Access access = accessOf(path);
        if (!admitted(access, path, client, request, response)) {
            return;
        }
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
            refuse(request, response, access, 415, "Content-Encoding is not accepted: send the body uncompressed");
            return;
        }
        long limit = access == Access.PUSH ? pushMaxBytes : matchesAny(bodyPaths, path) ? apiMaxBytes : 0;
        long declared = request.getContentLengthLong();
        boolean streamed = declared < 0 && request.getHeader("Transfer-Encoding") != null;
        if (access == Access.PUSH) {
            // the receiver answers 413 itself (PushBodyReader) and keeps a dead letter of the refused push: a declared
            // length over the limit finds an empty body, a streamed one ends one byte past the limit (TOO_LARGE set)
            chain.doFilter(new GuardedRequest(request, client, declared > limit ? 0 : streamed ? limit : -1, true), response);
            return;
        }
        if (declared > limit || limit == 0 && streamed) {
            refuse(request, response, access, 413, limit == 0
                    ? "this endpoint takes no request body"
                    : "body of " + (declared >= 0 ? declared + " bytes" : "unknown size")
                    + " is over the limit of " + limit + " bytes");
            return;
        }
        chain.doFilter(new GuardedRequest(request, client, streamed ? limit : -1, false), response);
    }

    private boolean admitted(Access access, String path, String client, HttpServletRequest request,
                             HttpServletResponse response) throws IOException {
        switch (access) {
            case OPEN -> {
                return true;
            }
            case PUSH -> {
                PushRejectedException refusal = pushGuard.refusal(client, queryKey(request.getQueryString()), path);
                if (refusal != null) {
                    refuse(request, response, access, refusal.getHttpStatus(), refusal.getReason());
                    return false;
                }
                return true;
            }
            default -> {
                if (!apiAllowed.isEmpty() && !AddressBlock.anyContains(apiAllowed, client)) {
                    LOG.info("REST request {} {} from {} refused: address not in gateway.api.allowed-sources",
                            request.getMethod(), path, client);
                    refuse(request, response, access, 403, "address " + client + " is not allowed here");
                    return false;
                }
                boolean admin = access == Access.ADMIN;
                if (admin ? !keys.adminGuarded() : !keys.apiGuarded()) {
                    return true; // the demo beside the built-in simulator, WARNed at start-up
                }
                String presented = presentedKey(request);
                GatewayKeys.Grant grant = keys.grantOf(presented);
                if (grant == GatewayKeys.Grant.ADMIN || grant == GatewayKeys.Grant.API && !admin) {
                    return true;
                }
                String reason;
                int status = 401;
                if (grant == GatewayKeys.Grant.API) {
                    status = 403;
                    reason = "the API key may not do this: " + path + " needs the admin key (GATEWAY_ADMIN_KEY)";
                } else if (presented == null || presented.isEmpty()) {
                    reason = admin
                            ? "missing admin key: send the header Authorization: Bearer <GATEWAY_ADMIN_KEY> (or X-Api-Key)"
                            : "missing API key: send the header Authorization: Bearer <GATEWAY_API_KEY> (or X-Api-Key)";
                } else {
                    reason = admin ? "wrong admin key" : "wrong API key";
                }
                LOG.info("REST request {} {} from {} refused ({}): {}", request.getMethod(), path, client, status,
                        status == 403 ? "API key on an admin path" : presented == null ? "missing key" : "wrong key");
                if (status == 401) {
                    response.setHeader("WWW-Authenticate", "Bearer realm=\"sophonsight-gateway\"");
                }
                refuse(request, response, access, status, reason);
                return false;
            }
        }
    }

    private Access accessOf(String path) {
        if (pushPaths.contains(path)) {
            return Access.PUSH;
        }
        if (matchesAny(adminPaths, path)) {
            return Access.ADMIN;
        }
        return matchesAny(openPaths, path) ? Access.OPEN : Access.API;
    }

    /**
     * The path as the container mapped it (decoded, {@code ;parameters} and dot segments removed, no trailing
     * slash), so {@code /api/hr-sync;x/run} or {@code /api/hr-sync/./run} cannot slip past an admin pattern.
     */
    private static String pathOf(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.isEmpty()) {
            path = request.getRequestURI().substring(request.getContextPath().length());
        }
        path = path.replaceAll("/{2,}", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private boolean matchesAny(List<String> patterns, String path) {
        for (String pattern : patterns) {
            if (matcher.match(pattern, path)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code key} query parameter, read from the query string only (getParameter could read a form body). */
    static String queryKey(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("key=")) {
                try {
                    return URLDecoder.decode(pair.substring(4), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return pair.substring(4);
                }
            }
        }
        return null;
    }

    private static String presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim();
        }
        String header = request.getHeader("X-Api-Key");
        return header == null ? null : header.trim();
    }

    /**
     * Answers a refusal in the shape of the endpoint's other answers: pushes {@code {"status", "message"}} (the
     * platform's envelope), the REST API an RFC 7807 problem like its routes' errors (docs/rest-api.md). A request
     * with a body also gets {@code Connection: close}: its body is not read.
     */
    private void refuse(HttpServletRequest request, HttpServletResponse response, Access access, int status,
                        String reason) throws IOException {
        if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            response.setHeader("Connection", "close");
        }
        if (access == Access.PUSH) {
            response.setStatus(status);
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write("{\"status\":" + status + ",\"message\":" + JSON.writeValueAsString(reason) + "}");
        } else {
            writeProblem(response, status, reason);
        }
    }

    /**
     * Writes a refused REST request's problem ({@code application/problem+json}); also used for a streamed body found
     * too large while it is read.
     */
    public static void writeProblem(HttpServletResponse response, int status, String detail) throws IOException {
        String[] kind = switch (status) {
            case 401 -> new String[] {"unauthorized", "Unauthorized"};
            case 403 -> new String[] {"forbidden", "Forbidden"};
            case 413 -> new String[] {"body-too-large", "Body too large"};
            case 415 -> new String[] {"unsupported-encoding", "Content-Encoding not accepted"};
            default -> new String[] {"refused", "Refused"};
        };
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSON.writeValueAsString(ProblemAnswers.of(kind[0], status, kind[1], detail)));
    }

    private static List<String> trimmed(List<String> values) {
        return values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    /** The request as later steps see it: the resolved client address, and a counted body when it is streamed. */
    private static final class GuardedRequest extends HttpServletRequestWrapper {
        private final String client;
        private final long limit;
        private final boolean endAtLimit;
        private ServletInputStream counted;

        GuardedRequest(HttpServletRequest request, String client, long limit, boolean endAtLimit) {
            super(request);
            this.client = client;
            this.limit = limit;
            this.endAtLimit = endAtLimit;
        }

        @Override
        public String getRemoteAddr() {
            return client;
        }

        /** A reader over the counted stream: the HTTP binding may read the body as characters. */
        @Override
        public BufferedReader getReader() throws IOException {
            if (limit < 0) {
                return super.getReader();
            }
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limit < 0) {
                return super.getInputStream();
            }
            if (counted == null) {
                counted = new CountedInputStream((HttpServletRequest) getRequest(), limit, endAtLimit);
            }
            return counted;
        }
    }

    /**
     * Fails the read once more than {@code limit} bytes came in, or (push receivers, whose reader answers 413 with a
     * dead letter) ends the body there; either way what is past the limit is never read.
     */
    private static final class CountedInputStream extends ServletInputStream {
        private final HttpServletRequest request;
        private final ServletInputStream in;
        private final long limit;
        private final boolean endAtLimit;
        private long read;

        CountedInputStream(HttpServletRequest request, long limit, boolean endAtLimit) throws IOException {
            this.request = request;
            this.in = request.getInputStream();
            this.limit = limit;
            this.endAtLimit = endAtLimit;
        }

        @Override
        public int read() throws IOException {
            if (ended()) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (ended()) {
                return -1;
            }
            // never more than one byte past the limit, so the limit is found without reading further
            int n = in.read(buffer, offset, (int) Math.min(length, limit + 1 - read));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        /** A declared length over the limit (limit 0), or a streamed body already past it: nothing more is read. */
        private boolean ended() {
            return endAtLimit && (limit == 0 || read > limit);
        }

        private void count(int n) throws RequestBodyTooLargeException {
            read += n;
            if (read > limit) {
                request.setAttribute(TOO_LARGE, limit);
                if (!endAtLimit) {
                    throw new RequestBodyTooLargeException(limit);
                }
            }
        }

        @Override
        public boolean isFinished() {
            return ended() || in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
