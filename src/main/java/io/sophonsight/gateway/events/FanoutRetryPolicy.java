package io.sophonsight.gateway.events;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import io.sophonsight.gateway.common.Backoff;
import io.sophonsight.gateway.common.FailureReason;
import io.sophonsight.gateway.push.PushProperties;
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

    private final Backoff backoff;

    public FanoutRetryPolicy(PushProperties push) {
        this.backoff = new Backoff(Duration.ofMillis(push.fanout().initialDelayMs()), push.fanout().backoffMultiplier(),
                Duration.ofMillis(push.fanout().maxDelayMs()));
    }

    /** The failure after {@code previousAttempts} earlier attempts (null: none), caused by {@code cause}. */
    public FanoutFailure afterFailure(Number previousAttempts, Throwable cause) {
        int attempts = (previousAttempts == null ? 0 : previousAttempts.intValue()) + 1;
        return new FanoutFailure(attempts, Timestamp.from(Instant.now().plusMillis(delayAfter(attempts))),
                FailureReason.of(cause, MAX_ERROR_CHARS));
    }

    long delayAfter(int attempts) {
        return backoff.after(attempts).toMillis();
    }
}
