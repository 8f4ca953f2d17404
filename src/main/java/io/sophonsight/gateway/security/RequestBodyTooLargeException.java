package io.sophonsight.gateway.security;

import java.io.IOException;

/**
 * Thrown by a request body's input stream once more than the endpoint's limit has been read from a body sent
 * without a declared length (chunked). Whoever reads the body answers 413; nothing past the limit is read.
 */
public class RequestBodyTooLargeException extends IOException {

    private final long limit;

    public RequestBodyTooLargeException(long limit) {
        super("request body is over the limit of " + limit + " bytes", null);
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** The exception in {@code error}'s cause chain, or null. */
    public static RequestBodyTooLargeException in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RequestBodyTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }
}
