package io.sophonsight.gateway.visitors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retry timing and time parsing of visitor registrations, without Camel. */
class VisitorRegistrationLifecycleTest {

    private final VisitorRegistrationLifecycle lifecycle = new VisitorRegistrationLifecycle(Duration.ofMinutes(1),
            Duration.ofMinutes(15), Duration.ofHours(24), Duration.ofMinutes(5),
            Clock.fixed(Instant.parse("2026-05-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void retryDelayDoublesPerAttemptAndIsCapped() {
        assertThat(lifecycle.retryDelay(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(lifecycle.retryDelay(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(lifecycle.retryDelay(4)).isEqualTo(Duration.ofMinutes(8));
        assertThat(lifecycle.retryDelay(5)).isEqualTo(Duration.ofMinutes(15));
        assertThat(lifecycle.retryDelay(500)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void retryPlanWaitsTheDelayButNeverPastTheDeadlineAndGivesUpAtIt() {
        // Given the clock at 2026-05-01T00:00Z and a registration after its 3rd attempt (next delay: 4 minutes)
        // When the deadline is an hour away, Then the next attempt is in 4 minutes
        VisitorRegistrationLifecycle.RetryPlan later = lifecycle.retryPlan(3, "2026-05-01T01:00:00Z");
        assertThat(later.deadlinePassed()).isFalse();
        assertThat(later.nextAttemptAt().toInstant()).isEqualTo(Instant.parse("2026-05-01T00:04:00Z"));
        // When the deadline is in one minute, Then the next attempt is at the deadline, not after it
        VisitorRegistrationLifecycle.RetryPlan capped = lifecycle.retryPlan(3, "2026-05-01T00:01:00Z");
        assertThat(capped.deadlinePassed()).isFalse();
        assertThat(capped.nextAttemptAt().toInstant()).isEqualTo(Instant.parse("2026-05-01T00:01:00Z"));
        // When the deadline is now, Then the plan says give up
        assertThat(lifecycle.retryPlan(3, "2026-05-01T00:00:00Z").deadlinePassed()).isTrue();
    }

    @Test
    void outcomeTextsAreCutToTheirColumns() {
        // Given a platform refusal whose message is far longer than the 2000-character columns
        String huge = "x".repeat(5000);
        // When it becomes an outcome, Then reason and message fit their columns and say they were cut
        VisitorRegistrationLifecycle.Outcome outcome = lifecycle.waiting(2, huge, lifecycle.now());
        assertThat(outcome.status()).isEqualTo(VisitorRegistrationLifecycle.PENDING);
        assertThat(outcome.reason()).hasSize(2000).endsWith("…");
    }

    @Test
    void visitTimesAcceptEpochMillisAndIsoWithZoneOnly() {
        Instant expected = Instant.parse("2026-05-01T01:00:00Z");
        assertThat(VisitorTimes.parse(expected.toEpochMilli())).isEqualTo(expected);
        assertThat(VisitorTimes.parse(String.valueOf(expected.toEpochMilli()))).isEqualTo(expected);
        assertThat(VisitorTimes.parse("2026-05-01T09:00:00+08:00")).isEqualTo(expected);
        assertThat(VisitorTimes.parse("2026-05-01T01:00:00Z")).isEqualTo(expected);
        assertThat(VisitorTimes.parse("2026-05-01T09:00:00+08:00[Asia/Shanghai]")).isEqualTo(expected);
        assertThat(VisitorTimes.parse(java.sql.Timestamp.from(expected))).isEqualTo(expected);
        assertThatThrownBy(() -> VisitorTimes.parse("2026-05-01T09:00:00")).hasMessageContaining("with a zone");
    }

    @Test
    void imageTypeComesFromMagicBytesNotFromTheName() {
        assertThat(VisitorValidator.imageType(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0})).isEqualTo("jpg");
        assertThat(VisitorValidator.imageType(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0})).isEqualTo("png");
        assertThat(VisitorValidator.imageType("GIF89a".getBytes())).isNull();
        assertThat(VisitorValidator.imageType(new byte[] {(byte) 0xFF})).isNull();
    }
}
