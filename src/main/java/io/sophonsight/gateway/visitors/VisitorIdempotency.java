package io.sophonsight.gateway.visitors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The optional {@code Idempotency-Key} header of {@code POST /api/visitors}: a reception system that did not
 * get an answer (timeout, dropped connection) sends the same request again with the same key and gets the
 * registration the first request made, instead of a second visitor on the platform. The key is remembered
 * with a digest of the request, so reusing it for a different visitor is refused rather than silently
 * answered with someone else's registration.
 */
@Component("visitorIdempotency")
public class VisitorIdempotency {

    /** HTTP request header, as in the IETF draft "The Idempotency-Key HTTP Header Field". */
    public static final String HTTP_HEADER = "Idempotency-Key";
    /** Camel header: the validated key; absent when the request carries none. */
    public static final String KEY = "VisitorIdempotencyKey";
    /** Camel header: SHA-256 (hex) of the validated request. */
    public static final String DIGEST = "VisitorRequestDigest";
    /** Camel header set by the lookup: the registration (id, request_digest) made earlier with the same key. */
    public static final String EARLIER = "VisitorIdempotentRegistration";

    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,100}");

    /**
     * Camel step after validation: reads and checks the key (400 when it is not 1 to 100 visible ASCII
     * characters) and the request's digest. Without the header, nothing is set.
     */
    public void prepare(Exchange exchange) throws InvalidPayloadException {
        Message in = exchange.getMessage();
        String key = in.getHeader(HTTP_HEADER, String.class);
        in.removeHeader(HTTP_HEADER);
        in.removeHeader(KEY);
        in.removeHeader(DIGEST);
        in.removeHeader(EARLIER);
        if (key == null) {
            return;
        }
        if (!VALID_KEY.matcher(key.trim()).matches()) {
            throw VisitorValidationException.of(HTTP_HEADER, "must be 1 to 100 visible ASCII characters (e.g. a UUID)");
        }
        in.setHeader(KEY, key.trim());
        in.setHeader(DIGEST, digest(in.getMandatoryBody(VisitorRequest.class)));
    }

    /**
     * Camel step when a registration with the same key exists: it becomes this request's registration
     * (header {@code VisitorRegistrationId}), unless the request is a different visitor (422).
     */
    public void replay(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<?, ?> earlier = in.getHeader(EARLIER, Map.class);
        if (!in.getHeader(DIGEST, "", String.class).equals(earlier.get("request_digest"))) {
            throw new VisitorIdempotencyConflictException(422, "Idempotency-Key " + in.getHeader(KEY)
                    + " was already used for a different visitor registration: use a new key for a new visitor");
        }
        in.setHeader(VisitorRegistrationLifecycle.ID, earlier.get("id"));
    }

    /** Every field the platform or the gateway keeps, and the photo's bytes. */
    static String digest(VisitorRequest request) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Object field : new Object[] {request.name(), request.startTime(), request.endTime(),
                    request.needsAudit(), request.hostEmployeeId(), request.reason(), request.photoType()}) {
                byte[] bytes = String.valueOf(field).getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                sha.update(bytes);
            }
            sha.update(request.photo() == null ? new byte[0] : request.photo());
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
