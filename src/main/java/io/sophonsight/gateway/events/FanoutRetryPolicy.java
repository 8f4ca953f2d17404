package io.sophonsight.gateway.events;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

/**
 * Computes what a failed fan-out of an outbox row means: its attempt count, the time of the next attempt
 * (exponential backoff, {@code push.fanout.*}) and the failure text for {@code access_event.last_error}.
 * Whether to try again or give up ({@code push.fanout.max-attempts}) is decided by the route
 * (routes/access-event-fanout.camel.yaml, configuration {@code access-event-fanout-failure}).
 */
@Component("fanoutRetryPolicy")
public class FanoutRetryPolicy {

    /** Characters of the failure text kept in access_event.last_error (a VARCHAR(2000) column). */
    static final int MAX_ERROR_CHARS = 1900;

    /**
     * One failed attempt.
     *
     * @param attempts      attempts made so far, this one included
     * @param nextAttemptAt when the row is due again if the route does not give up
     * @param error         the failure (and its root cause) for last_error and the dead letter
     */
    public record FanoutFailure(int attempts, Timestamp nextAttemptAt, String error) {
    }

    private final long initialDelayMs;
    private final double multiplier;
    private final long maxDelayMs;

    public FanoutRetryPolicy(@Value("${push.fanout.initial-delay-ms}") long initialDelayMs,
                             @Value("${push.fanout.backoff-multiplier}") double multiplier,
                             @Value("${push.fanout.max-delay-ms}") long maxDelayMs) {
        this.initialDelayMs = initialDelayMs;
        this.multiplier = multiplier;
        this.maxDelayMs = maxDelayMs;
    }

    /** The failure after {@code previousAttempts} earlier attempts (null: none), caused by {@code cause}. */
    public FanoutFailure afterFailure(Number previousAttempts, Throwable cause) {
        int attempts = (previousAttempts == null ? 0 : previousAttempts.intValue()) + 1;
        String error = cause == null ? "unknown failure" : describe(cause);
        return new FanoutFailure(attempts, Timestamp.from(Instant.now().plusMillis(delayAfter(attempts))),
                error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) + "…" : error);
    }

    /** The failure and, when a wrapper hides it (Spring's UncategorizedJmsException), its root cause. */
    static String describe(Throwable cause) {
        String text = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        Throwable root = NestedExceptionUtils.getMostSpecificCause(cause);
        return root == cause ? text : text + " (cause " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    long delayAfter(int attempts) {
        double delay = initialDelayMs * Math.pow(multiplier, Math.max(0, attempts - 1));
        return (long) Math.min(maxDelayMs, delay);
    }
}
