package io.sophonsight.gateway.events;

import java.sql.Timestamp;
import java.time.Instant;

import org.apache.camel.Exchange;
import io.sophonsight.gateway.push.PushProperties;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

/**
 * What happens to an outbox row whose fan-out failed: tried again later with exponential backoff,
 * or, after {@code push.fanout.max-attempts}, given up (the flow then writes a dead letter). Sets the
 * headers {@code FanoutAttempts}, {@code FanoutStatus}, {@code FanoutNextAttemptAt}, {@code FanoutGiveUp}, {@code FanoutError}.
 */
@Component("fanoutRetryPolicy")
public class FanoutRetryPolicy {

    private final int maxAttempts;
    private final long initialDelayMs;
    private final double multiplier;
    private final long maxDelayMs;

    public FanoutRetryPolicy(PushProperties push) {
        this.maxAttempts = Math.max(1, push.fanout().maxAttempts());
        this.initialDelayMs = push.fanout().initialDelayMs();
        this.multiplier = push.fanout().backoffMultiplier();
        this.maxDelayMs = push.fanout().maxDelayMs();
    }

    public void onFailure(Exchange exchange) {
        Number previous = exchange.getProperty("FanoutPreviousAttempts", Number.class);
        int attempts = (previous == null ? 0 : previous.intValue()) + 1;
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String error = cause == null ? "unknown failure" : describe(cause);
        exchange.getMessage().setHeader("FanoutAttempts", attempts);
        exchange.getMessage().setHeader("FanoutGiveUp", attempts >= maxAttempts);
        exchange.getMessage().setHeader("FanoutStatus", attempts >= maxAttempts ? "DEAD" : "PENDING");
        exchange.getMessage().setHeader("FanoutNextAttemptAt", Timestamp.from(Instant.now().plusMillis(delayAfter(attempts))));
        exchange.getMessage().setHeader("FanoutError", error.length() > 1900 ? error.substring(0, 1900) + "…" : error);
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
