package io.sophonsight.gateway.visitors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

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

    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,100}");

    /** Refuses (400) an {@code Idempotency-Key} header that is not 1 to 100 visible ASCII characters. */
    public void checkKey(String header) {
        if (header != null && !VALID_KEY.matcher(header.trim()).matches()) {
            throw VisitorValidationException.of("Idempotency-Key", "must be 1 to 100 visible ASCII characters (e.g. a UUID)");
        }
    }

    /** SHA-256 (hex) of every field the platform or the gateway keeps, and the photo's bytes. */
    public String digest(VisitorRequest request) {
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
