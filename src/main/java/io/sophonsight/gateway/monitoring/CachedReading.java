package io.sophonsight.gateway.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read from the database for metrics, reused for {@code maxAge} so a scrape costs at most one
 * query per reading, never one per gauge. A reading runs in the background; callers wait for it at most
 * {@code maxWait} after it started (all the gauges of one scrape together, not each in turn). A database
 * that is down or slow gives {@code null} (the gauges answer NaN) instead of a failed or hanging scrape: a
 * failed reading also counts for {@code maxAge}, and a slow one goes on for the next scrape.
 */
final class CachedReading<T> {

    private static final Logger LOG = LoggerFactory.getLogger(CachedReading.class);

    private final String name;
    private final Supplier<T> reader;
    private final Duration maxAge;
    private final Duration maxWait;
    private final Executor executor;
    private final Clock clock;
    private final Consumer<T> onFresh;

    private T value;
    private Instant readAt;
    private CompletableFuture<T> reading;
    private long readingStartedNanos;
    private boolean failing;

    CachedReading(String name, Supplier<T> reader, Duration maxAge, Duration maxWait, Executor executor, Clock clock,
                  Consumer<T> onFresh) {
        this.name = name;
        this.reader = reader;
        this.maxAge = maxAge;
        this.maxWait = maxWait;
        this.executor = executor;
        this.clock = clock;
        this.onFresh = onFresh;
    }

    /** The current value, read again when older than maxAge; null when it cannot be read now. */
    T get() {
        CompletableFuture<T> pending;
        long waitNanos;
        synchronized (this) {
            if (readAt != null && Duration.between(readAt, clock.instant()).compareTo(maxAge) < 0) {
                return value;
            }
            pending = reading;
            if (pending == null) {
                readingStartedNanos = System.nanoTime();
                // done() is attached before the reading can finish: had it finished first, done() would run
                // before `reading` is set, leave it set to a finished future, and no reading would start again
                CompletableFuture<T> started = new CompletableFuture<>();
                pending = started.whenComplete(this::done);
                reading = pending;
                try {
                    executor.execute(() -> {
                        try {
                            started.complete(reader.get());
                        } catch (RuntimeException | Error e) {
                            started.completeExceptionally(e);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    started.completeExceptionally(e);
                }
            }
            waitNanos = maxWait.toNanos() - (System.nanoTime() - readingStartedNanos);
        }
        try {
            return waitNanos <= 0 ? pending.getNow(null) : pending.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException | java.util.concurrent.CompletionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void done(T fresh, Throwable failure) {
        synchronized (this) {
            reading = null;
            if (failure == null) {
                value = fresh;
                readAt = clock.instant();
                if (failing) {
                    LOG.info("Metrics: {} can be read again", name);
                }
                failing = false;
            } else {
                // a failed reading counts too (NaN for maxAge), so a scrape tries the database once, not once per gauge
                value = null;
                readAt = clock.instant();
                if (!failing) {
                    LOG.warn("Metrics: cannot read {} (gauges report NaN until it can be read): {}", name,
                            failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure);
                }
                failing = true;
            }
        }
        if (failure == null && onFresh != null) {
            onFresh.accept(fresh);
        }
    }
}
