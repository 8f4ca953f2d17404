package io.sophonsight.gateway.common;

import java.time.Duration;

/**
 * Exponential backoff with a cap: the delay after {@code attempts} failed attempts is
 * {@code first × multiplier^(attempts - 1)}, at most {@code max} (a {@code max} below {@code first} wins; no jitter: no caller spreads its retries, each
 * retry is already spread by its own failure time). Each caller gives its own figures: the fan-out outbox
 * ({@code push.fanout.*}) and the visitor registrations ({@code visitors.retry.*}, multiplier 2). The platform call's
 * in-place retries use the same formula through Camel's redelivery policy (routes/error-handling.camel.yaml).
 */
public record Backoff(Duration first, double multiplier, Duration max) {

    public Backoff {
        if (first.isNegative() || max.isNegative() || multiplier < 1) {
            throw new IllegalArgumentException("backoff needs delays >= 0 and a multiplier >= 1, got first " + first
                    + ", multiplier " + multiplier + ", max " + max);
        }
    }

    /** The delay before the next attempt once {@code attempts} attempts failed (1 or less: {@code first}). */
    public Duration after(int attempts) {
        double millis = first.toMillis() * Math.pow(multiplier, Math.max(0, attempts - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }
}
