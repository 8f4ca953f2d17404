package io.sophonsight.gateway.push;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.common.HttpMessage;
import io.sophonsight.gateway.security.AddressBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Admits a push only from an allowed address (optional IP/CIDR allowlist, 403 otherwise) and with
 * the right {@code ?key=} (401 otherwise). {@code RequestGuardFilter} asks {@link #refusal} before a
 * byte of the body is read; the route's first step ({@link #check}) asks again and removes the key from
 * the message, so no later step, log line or reply header can show it; the caller's address (the socket
 * peer, or the client behind a trusted proxy) is in header {@value #SOURCE}.
 */
@Component("pushGuard")
public class PushGuard {

    /** Header holding the caller's address, for logs and dead letters. */
    public static final String SOURCE = "PushSource";

    private static final Logger LOG = LoggerFactory.getLogger(PushGuard.class);

    private final PushKey key;
    private final List<AddressBlock> allowed;

    @Autowired
    public PushGuard(PushKey key, PushProperties push) {
        this(key, push.allowedSources());
    }

    public PushGuard(PushKey key, List<String> allowedSources) {
        this.key = key;
        this.allowed = AddressBlock.parseAll(allowedSources, "push.allowed-sources");
    }

    public void check(Exchange exchange) {
        Message message = exchange.getMessage();
        String source = remoteAddress(message);
        message.setHeader(SOURCE, source);
        Object candidate = message.removeHeader("key");
        message.removeHeader(Exchange.HTTP_QUERY);
        message.removeHeader(Exchange.HTTP_RAW_QUERY);
        message.removeHeader(Exchange.HTTP_URL);
        message.removeHeader(Exchange.HTTP_URI);
        PushRejectedException refusal = refusal(source, candidate == null ? null : candidate.toString(), path(exchange));
        if (refusal != null) {
            throw refusal;
        }
    }

    /**
     * Why a push from {@code source} with {@code candidate} as its key is refused (logged here), or null when
     * it is admitted. Called before the body is read, so an unauthenticated caller costs no more than its headers.
     */
    public PushRejectedException refusal(String source, String candidate, String where) {
        if (!allowed.isEmpty() && !AddressBlock.anyContains(allowed, source)) {
            LOG.warn("Push to {} refused: address {} is not in push.allowed-sources", where, source);
            return new PushRejectedException(403, "address " + source + " is not allowed to push here");
        }
        if (candidate == null || candidate.isEmpty()) {
            LOG.warn("Push to {} from {} refused: no key in the URL", where, source);
            return new PushRejectedException(401, "missing key: the push URL must end with ?key=<push key>");
        }
        if (!key.matches(candidate)) {
            LOG.warn("Push to {} from {} refused: wrong key", where, source);
            return new PushRejectedException(401, "wrong key in the push URL");
        }
        return null;
    }

    private static String path(Exchange exchange) {
        return exchange.getFromEndpoint() == null ? "?" : exchange.getFromEndpoint().getEndpointBaseUri();
    }

    static String remoteAddress(Message message) {
        if (message instanceof HttpMessage http && http.getRequest() != null) {
            return http.getRequest().getRemoteAddr();
        }
        HttpServletRequest request = message.getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class);
        return request == null ? "unknown" : request.getRemoteAddr();
    }
}
