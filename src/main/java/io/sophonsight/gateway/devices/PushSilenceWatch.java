package io.sophonsight.gateway.devices;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Notices the most common field failure: pushes that silently stop. Every accepted push (access
 * record or device status) is recorded; a check finding no push for {@code push.silence.threshold}
 * raises one {@code push-silence} alert, and the first check after pushes resume raises
 * {@code push-resumed}. The clock starts at start-up, so a platform that never pushes is noticed too.
 * The time of the last push of each kind ({@link #ACCESS}, {@link #DEVICE_STATUS}) is kept for the
 * {@code gateway_push_last_received_age_seconds} metric.
 */
@Component("pushSilenceWatch")
public class PushSilenceWatch {

    /** Kind of an access-record push. */
    public static final String ACCESS = "access";
    /** Kind of a device-status push. */
    public static final String DEVICE_STATUS = "device-status";

    private final Duration threshold;
    private final Instant startedAt = Instant.now();
    private volatile Instant lastPush = startedAt;
    private final Map<String, Instant> lastPushByKind = new ConcurrentHashMap<>();
    /** Time of the last push when silence was noticed; null while pushes flow. */
    private Instant lastBeforeSilence;

    public PushSilenceWatch(@Value("${push.silence.threshold}") Duration threshold) {
        this.threshold = threshold;
    }

    /** An accepted push of {@code kind} ({@link #ACCESS} or {@link #DEVICE_STATUS}). */
    public void recordPush(String kind) {
        Instant now = Instant.now();
        lastPush = now;
        lastPushByKind.put(kind, now);
    }

    /** When the last push of {@code kind} was accepted; the start-up time when none came since. */
    public Instant lastPush(String kind) {
        return lastPushByKind.getOrDefault(kind, startedAt);
    }

    /** The alert to raise at {@code now} (epoch ms; null = the current time), or null when there is none. */
    public synchronized Map<String, Object> check(Long now) {
        Instant at = now == null ? Instant.now() : Instant.ofEpochMilli(now);
        Instant last = lastPush;
        if (lastBeforeSilence == null && Duration.between(last, at).compareTo(threshold) >= 0) {
            lastBeforeSilence = last;
            return alert("push-silence", last, at);
        }
        if (lastBeforeSilence != null && last.isAfter(lastBeforeSilence)) {
            lastBeforeSilence = null;
            return alert("push-resumed", last, at);
        }
        return null;
    }

    private Map<String, Object> alert(String type, Instant last, Instant at) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("alertType", type);
        alert.put("lastPushAt", last.toString());
        alert.put("checkedAt", at.toString());
        alert.put("threshold", threshold.toString());
        return alert;
    }
}
