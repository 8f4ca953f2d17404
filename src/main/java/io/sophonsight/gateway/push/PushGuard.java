package io.sophonsight.gateway.push;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import io.sophonsight.gateway.security.AddressBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Admits a push only from an allowed address (optional IP/CIDR allowlist, 403 otherwise) and with
 * the right {@code ?key=} (401 otherwise). {@code RequestGuardFilter} asks {@link #refusal} before a
 * byte of the body is read; the receiver's first step ({@link #admit}) asks again; the route's next step
 * removes the key, so no later step, log line or reply can show it. The caller's address is the socket peer,
 * or the client behind a trusted proxy ({@code server.forward-headers-strategy}).
 */
@Component("pushGuard")
public class PushGuard {

    private static final Logger LOG = LoggerFactory.getLogger(PushGuard.class);

    private final PushKey key;
    private final List<AddressBlock> allowed;

    public PushGuard(PushKey key, @Value("${push.allowed-sources:}") List<String> allowedSources) {
        this.key = key;
        this.allowed = AddressBlock.parseAll(allowedSources, "push.allowed-sources");
    }

    /**
     * Returns when the caller of {@code request} may push to {@code path} with {@code candidate} as its key;
     * throws the refusal ({@link PushRejectedException}, 401 or 403) otherwise.
     */
    public void admit(HttpServletRequest request, String candidate, String path) {
        PushRejectedException refusal = refusal(request == null ? "unknown" : request.getRemoteAddr(), candidate, path);
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
}
