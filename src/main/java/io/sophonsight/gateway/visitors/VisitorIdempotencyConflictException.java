package io.sophonsight.gateway.visitors;

/**
 * An {@code Idempotency-Key} that cannot be honoured: reused for a different visitor (422), or the same key
 * sent twice at the same moment (409: the first request is still being processed).
 */
public class VisitorIdempotencyConflictException extends RuntimeException {

    private final int status;

    /** The key was used for a different visitor: 422 (thrown by the route, {@code throwException}). */
    public VisitorIdempotencyConflictException(String message) {
        this(422, message);
    }

    public VisitorIdempotencyConflictException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int getStatus() {
        return status;
    }
}
