package io.sophonsight.gateway.devices;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Remembers when pushes came, for the silence check of routes/push-silence.camel.yaml: the most common field
 * failure is pushes that silently stop. Every accepted push (access record or device status) is recorded
 * ({@link #recordPush}); the route's check compares the latest push (this replica's, or another replica's from
 * {@code push_heartbeat}) with {@code push.silence.threshold} and decides on a {@code push-silence} or
 * {@code push-resumed} alert. The clock starts at start-up, so a platform that never pushes is noticed too.
 * The time of the last push of each kind ({@link #ACCESS}, {@link #DEVICE_STATUS}) is kept for the
 * {@code gateway_push_last_received_age_seconds} metric.
 */
@Component("pushSilenceWatch")
public class PushSilenceWatch {

    /** Kind of an access-record push. */
    public static final String ACCESS = "access";
    /** Kind of a device-status push. */
    public static final String DEVICE_STATUS = "device-status";

    /**
     * What a silence check sees (epoch ms).
     *
     * @param lastPushMs          the latest push of any kind, on any replica (the start-up time when none came)
     * @param checkedMs           the time of the check
     * @param silentMs            how long no push came
     * @param thresholdMs         {@code push.silence.threshold}
     * @param alertedLastPushMs   the latest push when the silence alert was raised; null while pushes flow
     */
    public record Silence(long lastPushMs, long checkedMs, long silentMs, long thresholdMs, Long alertedLastPushMs) {
    }

    private final Duration threshold;
    private final Instant startedAt = Instant.now();
    private volatile Instant lastPush = startedAt;
    private final Map<String, Instant> lastPushByKind = new ConcurrentHashMap<>();
    /** Time of the last push when silence was alerted; null while pushes flow. */
    private volatile Instant lastBeforeSilence;

    private final Duration heartbeatInterval;
    private final Map<String, Instant> lastHeartbeatByKind = new ConcurrentHashMap<>();

    /** One process alone: every push is a heartbeat (unit tests of the metrics). */
    public PushSilenceWatch(Duration threshold) {
        this(threshold, Duration.ZERO);
    }

    @Autowired
    public PushSilenceWatch(@Value("${push.silence.threshold}") Duration threshold,
                            @Value("${push.silence.heartbeat-interval:10s}") Duration heartbeatInterval) {
        this.threshold = threshold;
        this.heartbeatInterval = heartbeatInterval;
    }

    /**
     * An accepted push of {@code kind} ({@link #ACCESS} or {@link #DEVICE_STATUS}). True when this replica should
     * write it to {@code push_heartbeat} for the others: at most once per {@code push.silence.heartbeat-interval}
     * and kind, so the acknowledgement path gains no write per push.
     */
    public boolean recordPush(String kind) {
        Instant now = Instant.now();
        lastPush = now;
        lastPushByKind.put(kind, now);
        boolean[] due = {false};
        lastHeartbeatByKind.compute(kind, (k, written) -> {
            due[0] = written == null || Duration.between(written, now).compareTo(heartbeatInterval) >= 0;
            return due[0] ? now : written;
        });
        return due[0];
    }

    /** When the last push of {@code kind} was accepted; the start-up time when none came since. */
    public Instant lastPush(String kind) {
        return lastPushByKind.getOrDefault(kind, startedAt);
    }

    /**
     * What a check at {@code checkAt} (epoch ms; null = now) sees, given the latest push another replica wrote to
     * {@code push_heartbeat} ({@code shared}, null when none).
     */
    public Silence silence(Object shared, Long checkAt) {
        Instant at = checkAt == null ? Instant.now() : Instant.ofEpochMilli(checkAt);
        Instant other = instant(shared);
        Instant last = other != null && other.isAfter(lastPush) ? other : lastPush;
        Instant alerted = lastBeforeSilence;
        return new Silence(last.toEpochMilli(), at.toEpochMilli(), Duration.between(last, at).toMillis(),
                threshold.toMillis(), alerted == null ? null : alerted.toEpochMilli());
    }

    /** A TIMESTAMP WITH TIME ZONE as the drivers give it: OffsetDateTime (H2) or Timestamp (PostgreSQL). */
    static Instant instant(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime zoned) {
            return zoned.toInstant();
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.LocalDateTime local) {
            return local.atZone(java.time.ZoneId.systemDefault()).toInstant();
        }
        if (value == null) {
            return null;
        }
        throw new IllegalArgumentException("push_heartbeat.last_push_at read as " + value.getClass().getName());
    }

    /** The silence alert was raised: pushes are silent since {@code lastPushMs}. */
    public void silenceAlerted(long lastPushMs) {
        lastBeforeSilence = Instant.ofEpochMilli(lastPushMs);
    }

    /** The resumed alert was raised: pushes flow again. */
    public void resumed() {
        lastBeforeSilence = null;
    }

    /** The alert's body: its type, the latest push, the time of the check and the threshold. */
    public Map<String, Object> alert(String type, Silence silence) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("alertType", type);
        alert.put("lastPushAt", Instant.ofEpochMilli(silence.lastPushMs()).toString());
        alert.put("checkedAt", Instant.ofEpochMilli(silence.checkedMs()).toString());
        alert.put("threshold", threshold.toString());
        return alert;
    }
}
