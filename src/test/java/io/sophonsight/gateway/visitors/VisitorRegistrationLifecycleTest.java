package io.sophonsight.gateway.visitors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retry timing and time parsing of visitor registrations, without Camel (image sniffing: SharedHelpersTest). */
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
}
