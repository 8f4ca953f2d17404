package io.sophonsight.gateway.events;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import io.sophonsight.gateway.common.Backoff;
import io.sophonsight.gateway.common.FailureReason;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What happens to an outbox row whose fan-out failed: tried again later with exponential backoff,
 * or, after {@code push.fanout.max-attempts}, given up (the flow then writes a dead letter). Sets the
 * headers {@code FanoutAttempts}, {@code FanoutStatus}, {@code FanoutNextAttemptAt}, {@code FanoutGiveUp}, {@code FanoutError}.
 */
@Component("fanoutRetryPolicy")
public class FanoutRetryPolicy {

    private final int maxAttempts;
    private final Backoff backoff;

    public FanoutRetryPolicy(@Value("${push.fanout.max-attempts}") int maxAttempts,
                             @Value("${push.fanout.initial-delay-ms}") long initialDelayMs,
                             @Value("${push.fanout.backoff-multiplier}") double multiplier,
                             @Value("${push.fanout.max-delay-ms}") long maxDelayMs) {
        this.maxAttempts = Math.max(1, maxAttempts);
        this.backoff = new Backoff(Duration.ofMillis(initialDelayMs), multiplier, Duration.ofMillis(maxDelayMs));
    }

    public void onFailure(Exchange exchange) {
        Number previous = exchange.getProperty("FanoutPreviousAttempts", Number.class);
        int attempts = (previous == null ? 0 : previous.intValue()) + 1;
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String error = FailureReason.of(cause, 1900);
        exchange.getMessage().setHeader("FanoutAttempts", attempts);
        exchange.getMessage().setHeader("FanoutGiveUp", attempts >= maxAttempts);
        exchange.getMessage().setHeader("FanoutStatus", attempts >= maxAttempts ? "DEAD" : "PENDING");
        exchange.getMessage().setHeader("FanoutNextAttemptAt", Timestamp.from(Instant.now().plusMillis(delayAfter(attempts))));
        exchange.getMessage().setHeader("FanoutError", error);
    }

    long delayAfter(int attempts) {
        return backoff.after(attempts).toMillis();
    }
}
