package io.sophonsight.gateway.push;

/**
 * A push refused because the gateway already holds as many push bytes as its heap allows
 * ({@link PushBackpressureFilter}): 503 with {@code Retry-After}. Not bad input, so no dead letter;
 * the platform sends the same push again later.
 */
public class PushOverloadedException extends PushRejectedException {

    private final long retryAfterSeconds;

    public PushOverloadedException(String reason, long retryAfterSeconds) {
        super(503, reason);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Value of the {@code Retry-After} header of the answer. */
    public long getRetryAfterSeconds() {
        return retryAfterSeconds;
    }
}
