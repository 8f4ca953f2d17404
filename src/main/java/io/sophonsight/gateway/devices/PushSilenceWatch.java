package io.sophonsight.gateway.devices;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import io.sophonsight.gateway.push.PushProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Notices the most common field failure: pushes that silently stop. Every accepted push (access
 * record or device status) is recorded; a check finding no push for {@code push.silence.threshold}
 * raises one {@code push-silence} alert, and the first check after pushes resume raises
 * {@code push-resumed}. The clock starts at start-up, so a platform that never pushes is noticed too.
 * The time of the last push of each kind ({@link #ACCESS}, {@link #DEVICE_STATUS}) is kept for the
 * {@code gateway_push_last_received_age_seconds} metric.
 *
 * <p>With several replicas the platform's pushes land on any of them, while the check runs on the leader
 * only: each replica also writes the time into {@code push_heartbeat} (at most once per
 * {@code push.silence.heartbeat-interval} and kind, so the acknowledgement path gains no write per push),
 * and the check takes the latest of its own pushes and that table.
 */
@Component("pushSilenceWatch")
public class PushSilenceWatch {

    /** Kind of an access-record push. */
    public static final String ACCESS = "access";
    /** Kind of a device-status push. */
    public static final String DEVICE_STATUS = "device-status";

    private static final Logger LOG = LoggerFactory.getLogger(PushSilenceWatch.class);

    private final Duration threshold;
    private final Instant startedAt = Instant.now();
    private volatile Instant lastPush = startedAt;
    private final Map<String, Instant> lastPushByKind = new ConcurrentHashMap<>();
    /** Time of the last push when silence was noticed; null while pushes flow. */
    private Instant lastBeforeSilence;

    private final JdbcTemplate jdbc;
    private final Duration heartbeatInterval;
    private final Map<String, Instant> lastHeartbeatByKind = new ConcurrentHashMap<>();

    /** One process alone, no shared table (unit tests of the metrics). */
    public PushSilenceWatch(Duration threshold) {
        this(threshold, null, Duration.ZERO);
    }

    @Autowired
    public PushSilenceWatch(PushProperties push, JdbcTemplate jdbc) {
        this(push.silence().threshold(), jdbc, push.silence().heartbeatInterval());
    }

    PushSilenceWatch(Duration threshold, JdbcTemplate jdbc, Duration heartbeatInterval) {
        this.threshold = threshold;
        this.jdbc = jdbc;
        this.heartbeatInterval = heartbeatInterval;
    }

    /** An accepted push of {@code kind} ({@link #ACCESS} or {@link #DEVICE_STATUS}). */
    public void recordPush(String kind) {
        Instant now = Instant.now();
        lastPush = now;
        lastPushByKind.put(kind, now);
        boolean[] due = {false};
        lastHeartbeatByKind.compute(kind, (k, written) -> {
            due[0] = written == null || Duration.between(written, now).compareTo(heartbeatInterval) >= 0;
            return due[0] ? now : written;
        });
        if (jdbc != null && due[0]) {
            try {
                jdbc.update("UPDATE push_heartbeat SET last_push_at = ? WHERE kind = ? AND last_push_at < ?",
                        Timestamp.from(now), kind, Timestamp.from(now));
            } catch (RuntimeException e) {
                // the push itself is stored and acknowledged; only the other replicas' silence check misses it
                LOG.warn("Could not record the {} push in push_heartbeat: {}", kind, e.getMessage());
            }
        }
    }

    /** The latest push of any kind, on any replica: this process's own, or the shared table's. */
    private Instant latestPush() {
        Instant last = lastPush;
        if (jdbc == null) {
            return last;
        }
        try {
            Timestamp shared = jdbc.queryForObject("SELECT MAX(last_push_at) FROM push_heartbeat", Timestamp.class);
            return shared != null && shared.toInstant().isAfter(last) ? shared.toInstant() : last;
        } catch (RuntimeException e) {
            LOG.warn("Could not read push_heartbeat, checking silence on this replica's pushes only: {}", e.getMessage());
            return last;
        }
    }

    /** When the last push of {@code kind} was accepted; the start-up time when none came since. */
    public Instant lastPush(String kind) {
        return lastPushByKind.getOrDefault(kind, startedAt);
    }

    /** The alert to raise at {@code now} (epoch ms; null = the current time), or null when there is none. */
    public synchronized Map<String, Object> check(Long now) {
        Instant at = now == null ? Instant.now() : Instant.ofEpochMilli(now);
        Instant last = latestPush();
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
