package io.sophonsight.gateway.retention;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

import org.springframework.stereotype.Component;

/**
 * The arithmetic of the retention purge (routes/data-retention.camel.yaml): the cut-off of a retention period
 * and the running total of rows a purge removed. A cut-off is a {@link Timestamp}, because both databases bind it
 * to {@code TIMESTAMP WITH TIME ZONE} parameters.
 */
@Component("retentionPeriods")
public class RetentionPeriods {

    private final Clock clock;

    public RetentionPeriods() {
        this(Clock.systemUTC());
    }

    RetentionPeriods(Clock clock) {
        this.clock = clock;
    }

    /** The instant {@code days} days before now: what was written earlier is older than the period. */
    public Timestamp cutoff(int days) {
        if (days < 0) {
            throw new IllegalArgumentException("a retention period cannot be negative: " + days + " days");
        }
        return Timestamp.from(clock.instant().minus(Duration.ofDays(days)));
    }

    /** {@code total} plus the rows of one more batch. */
    public long add(long total, Integer batchRows) {
        return total + (batchRows == null ? 0 : batchRows);
    }
}
