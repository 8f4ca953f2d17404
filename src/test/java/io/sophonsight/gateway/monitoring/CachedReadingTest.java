package io.sophonsight.gateway.monitoring;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The cached database reading behind the metrics gauges. */
class CachedReadingTest {

    @Test
    void aReadingThatFinishesAtOnceIsStillReadAgainOnceTheCacheTimeIsOver() {
        // Given a reading that completes before the caller has even stored it (a synchronous executor:
        // the extreme of a fast query on an idle reader thread), with a cache time of 5 s
        GatewayMetricsTest.TestClock clock = new GatewayMetricsTest.TestClock();
        AtomicInteger reads = new AtomicInteger();
        CachedReading<Integer> reading = new CachedReading<>("test", reads::incrementAndGet, Duration.ofSeconds(5),
                Duration.ofSeconds(2), Runnable::run, clock, null);

        // When it is read, read again within the cache time, and again after it
        assertThat(reading.get()).isEqualTo(1);
        assertThat(reading.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(5));

        // Then the third call reads the database again (it used to keep the first value for ever)
        assertThat(reading.get()).isEqualTo(2);
        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void aFailedReadingGivesNullAndIsRetriedAfterTheCacheTime() {
        // Given a database that fails once, then answers
        GatewayMetricsTest.TestClock clock = new GatewayMetricsTest.TestClock();
        AtomicInteger calls = new AtomicInteger();
        CachedReading<Integer> reading = new CachedReading<>("test", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("database down");
            }
            return 42;
        }, Duration.ofSeconds(5), Duration.ofSeconds(2), Runnable::run, clock, null);

        // When it is read while down, Then null (the gauges show NaN), also within the cache time
        assertThat(reading.get()).isNull();
        assertThat(reading.get()).isNull();

        // When the cache time is over, Then the next call reads again and gets the value
        clock.advance(Duration.ofSeconds(5));
        assertThat(reading.get()).isEqualTo(42);
    }
}
