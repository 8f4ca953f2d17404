package io.sophonsight.gateway.monitoring;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sophonsight.gateway.devices.PushSilenceWatch;
import io.sophonsight.gateway.events.AccessEvent;
import io.sophonsight.gateway.hr.HrDeletionGuard;
import io.sophonsight.gateway.hr.HrSyncMode;
import io.sophonsight.gateway.sophonsight.SophonSightBusinessException;
import io.sophonsight.gateway.sophonsight.SophonSightUnavailableException;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The gateway's own Prometheus metrics (next to Camel's per-route timers and failures from camel-micrometer),
 * all named {@code gateway_*} (README, "Monitor"):
 * <ul>
 *   <li>{@code gateway_access_events_total{person_type, source, form, outcome}}: access events reaching the
 *       store step, {@code outcome} = {@code stored} (new) or {@code duplicate};</li>
 *   <li>{@code gateway_alerts_total{type}}: alerts raised through {@code direct:gateway-alert};</li>
 *   <li>{@code gateway_platform_call_failures_total{reason, path}}: SophonSight calls that failed after the retries;</li>
 *   <li>{@code gateway_dead_letters_pending{flow}}: dead letters not replayed, per flow that gave up, and
 *       {@code gateway_dead_letters_pending_all} for all flows together;</li>
 *   <li>{@code gateway_hr_sync_last_success_age_seconds{mode}} and {@code gateway_hr_sync_last_run_failed{mode}};</li>
 *   <li>{@code gateway_hr_sync_held_deletes{kind}}: deletes the deletion guard holds;</li>
 *   <li>{@code gateway_push_last_received_age_seconds{kind}}: silence of each kind of push.</li>
 * </ul>
 * Gauges that read the database share one reading per table for {@code monitoring.metrics.db-cache} and report
 * NaN while the database cannot be read; a scrape never fails or hangs because of the database. Ages count from
 * the gateway's start when nothing happened since (as the push-silence alert does).
 */
@Component("gatewayMetrics")
public class GatewayMetrics implements DisposableBean {

    static final String DEAD_LETTERS_PENDING = "SELECT flow, COUNT(*) FROM dead_letter WHERE replayed_at IS NULL GROUP BY flow";
    static final String HR_LAST_SUCCESS =
            "SELECT mode, MAX(ended_at) FROM sync_run WHERE status = 'COMPLETED' AND dry_run = FALSE GROUP BY mode";
    static final String HR_LAST_STATUS = "SELECT mode, status FROM sync_run WHERE id IN "
            + "(SELECT MAX(id) FROM sync_run WHERE dry_run = FALSE AND ended_at IS NOT NULL GROUP BY mode)";

    /** What the HR sync gauges read from sync_run, per mode. */
    record HrSyncReading(Map<String, Instant> lastSuccess, Map<String, String> lastStatus) { }

    private final MeterRegistry registry;
    private final Clock clock;
    private final Instant startedAt;
    private final ExecutorService reader;
    private final CachedReading<Map<String, Long>> deadLetters;
    private final CachedReading<HrSyncReading> hrSync;
    private final Set<String> deadLetterFlows = ConcurrentHashMap.newKeySet();
    private final Map<String, Counter> alertCounters = new ConcurrentHashMap<>();

    @Autowired
    public GatewayMetrics(MeterRegistry registry, @Qualifier("dataSource") DataSource dataSource,
                          PushSilenceWatch pushes, HrDeletionGuard deletionGuard,
                          MonitoringProperties monitoring) {
        this(registry, new JdbcTemplate(dataSource), pushes, deletionGuard, monitoring.metrics().dbCache(),
                monitoring.metrics().dbWait(), Clock.systemUTC());
    }

    GatewayMetrics(MeterRegistry registry, JdbcTemplate jdbc, PushSilenceWatch pushes, HrDeletionGuard deletionGuard,
                   Duration dbCache, Duration dbWait, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.reader = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gateway-metrics-db");
            thread.setDaemon(true);
            return thread;
        });
        this.deadLetters = new CachedReading<>("dead_letter", () -> pendingDeadLetters(jdbc), dbCache, dbWait, reader, clock,
                this::registerDeadLetterFlows);
        this.hrSync = new CachedReading<>("sync_run", () -> hrSyncReading(jdbc), dbCache, dbWait, reader, clock, null);

        // always there, so every scrape reads dead_letter and a flow's first dead letter gets its own series
        Gauge.builder("gateway.dead.letters.pending.all", this, GatewayMetrics::deadLettersPendingAll)
                .description("Dead letters not replayed, all flows together (table dead_letter); "
                        + "NaN when the database cannot be read")
                .register(registry);
        for (HrSyncMode mode : HrSyncMode.values()) {
            String name = mode.name();
            Gauge.builder("gateway.hr.sync.last.success.age", this, m -> m.hrSyncAge(name))
                    .baseUnit("seconds").tag("mode", name)
                    .description("Seconds since the last successful (COMPLETED, not dry) HR sync run of this mode; "
                            + "since start-up when none is recorded; NaN when the database cannot be read")
                    .register(registry);
            Gauge.builder("gateway.hr.sync.last.run.failed", this, m -> m.hrSyncLastRunFailed(name))
                    .tag("mode", name)
                    .description("1 when the last ended HR sync run of this mode FAILED or was ABORTED, else 0; "
                            + "NaN when the database cannot be read")
                    .register(registry);
        }
        Gauge.builder("gateway.hr.sync.held.deletes", deletionGuard, guard -> guard.getHeldPersonDeletes())
                .tag("kind", "person").description("Person deletes held by the HR deletion guard until an operator confirms")
                .register(registry);
        Gauge.builder("gateway.hr.sync.held.deletes", deletionGuard, guard -> guard.getHeldOrgDeletes())
                .tag("kind", "org").description("Org deletes held by the HR deletion guard until an operator confirms")
                .register(registry);
        for (String kind : new String[] {PushSilenceWatch.ACCESS, PushSilenceWatch.DEVICE_STATUS}) {
            Gauge.builder("gateway.push.last.received.age", pushes, watch -> secondsSince(watch.lastPush(kind)))
                    .baseUnit("seconds").tag("kind", kind)
                    .description("Seconds since the platform's last accepted push of this kind (since start-up when none came)")
                    .register(registry);
        }
    }

    /** Registers the dead-letter gauges of the flows already in the table, so the first scrape shows them. */
    @EventListener(ApplicationReadyEvent.class)
    public void discoverDeadLetterFlows() {
        deadLetters.get();
    }

    // ---- called from routes ----

    /**
     * Counts an access event that reached the store step ({@code routes/access-event-store.camel.yaml}):
     * stored (new) or duplicate, by person type, source (push or query) and form (P, B, query).
     */
    public void countAccessEvent(@ExchangeProperty("AccessEvent") Map<String, Object> event,
                                 @Header("AccessEventStoreResult") String outcome) {
        String form = String.valueOf(event.get(AccessEvent.SOURCE_FORM));
        Counter.builder("gateway.access.events")
                .description("Access events that reached the store step: outcome=stored (new), duplicate (the same push or "
                        + "record again) or matched (the same pass, already stored from the other source)")
                .tag("person_type", String.valueOf(event.get(AccessEvent.PERSON_TYPE)))
                .tag("source", "query".equals(form) ? "query" : "push")
                .tag("form", form)
                .tag("outcome", outcome == null ? "unknown" : outcome)
                .register(registry)
                .increment();
    }

    /** Counts an alert raised through {@code direct:gateway-alert}, by its type. */
    public void countAlert(String type) {
        String tag = type == null || type.isBlank() ? "unknown" : type;
        alertCounters.computeIfAbsent(tag, t -> Counter.builder("gateway.alerts")
                .description("Alerts raised (WARN log + alerts queue), by type")
                .tag("type", t).register(registry)).increment();
    }

    /**
     * Counts a platform call that failed for good ({@code routes/sophonsight-api.camel.yaml}, after the retries):
     * {@code unavailable} (unreachable or 5xx) or {@code refused} (business error), by API path.
     */
    public void countPlatformCallFailure(Exception failure, String path) {
        String reason = failure instanceof SophonSightUnavailableException ? "unavailable"
                : failure instanceof SophonSightBusinessException ? "refused" : "error";
        Counter.builder("gateway.platform.call.failures")
                .description("Calls to SophonSight that failed after the retries: reason=unavailable (unreachable, 5xx), "
                        + "refused (business error) or error (anything else), by API path")
                .tag("reason", reason)
                .tag("path", path == null ? "unknown" : path)
                .register(registry)
                .increment();
    }

    /**
     * Counts a scheduled or polling run that failed ({@code routeConfiguration schedule}); {@code route} = the
     * route whose step failed.
     */
    public void countScheduledRunFailure(String route) {
        Counter.builder("gateway.schedule.run.failures")
                .description("Scheduled or polling runs that failed (watermarks kept, nothing marked done), by route")
                .tag("route", route == null ? "unknown" : route)
                .register(registry)
                .increment();
    }

    /** One call whose answer was lost after it was sent (it may have been applied), whatever happens next. */
    public void countLostAnswer(String path) {
        Counter.builder("gateway.platform.answers.lost")
                .description("Calls to SophonSight sent without an answer coming back (broken connection after sending, "
                        + "response timeout, HTTP 504): the platform may have applied them; by API path")
                .tag("path", path == null ? "unknown" : path)
                .register(registry)
                .increment();
    }

    /** One item a flow marked uncertain after a lost answer (not repeated; an operator resolves it). */
    public void countUncertain(String flow) {
        Counter.builder("gateway.platform.uncertain")
                .description("Items marked UNCERTAIN after a lost answer, by flow: not sent again automatically, "
                        + "because a repeat could create them twice on the platform; an operator resolves them")
                .tag("flow", flow)
                .register(registry)
                .increment();
    }

    /**
     * Counts a paged read of the platform that could not be proven complete (see PagedReading): a record
     * window whose watermark stays, or a device inventory pass that marks nothing removed; {@code list} =
     * {@code access-records-<kind>} or {@code device-inventory}.
     */
    public void countIncompleteRead(String list) {
        Counter.builder("gateway.paging.incomplete")
                .description("Paged reads of the platform that could not be proven complete (distinct items short of "
                        + "the platform's total after the re-reads, too many pages, a repeated page), by list")
                .tag("list", list == null ? "unknown" : list)
                .register(registry)
                .increment();
    }

    // ---- gauges ----

    double deadLettersPending(String flow) {
        Map<String, Long> pending = deadLetters.get();
        return pending == null ? Double.NaN : pending.getOrDefault(flow, 0L);
    }

    double deadLettersPendingAll() {
        Map<String, Long> pending = deadLetters.get();
        return pending == null ? Double.NaN : pending.values().stream().mapToLong(Long::longValue).sum();
    }

    double hrSyncAge(String mode) {
        HrSyncReading reading = hrSync.get();
        if (reading == null) {
            return Double.NaN;
        }
        Instant last = reading.lastSuccess().get(mode);
        return secondsSince(last == null ? startedAt : last);
    }

    double hrSyncLastRunFailed(String mode) {
        HrSyncReading reading = hrSync.get();
        if (reading == null) {
            return Double.NaN;
        }
        String status = reading.lastStatus().get(mode);
        return "FAILED".equals(status) || "ABORTED".equals(status) ? 1 : 0;
    }

    private double secondsSince(Instant then) {
        return Math.max(0, Duration.between(then, clock.instant()).toMillis() / 1000.0);
    }

    private void registerDeadLetterFlows(Map<String, Long> pending) {
        for (String flow : pending.keySet()) {
            if (deadLetterFlows.add(flow)) {
                Gauge.builder("gateway.dead.letters.pending", this, m -> m.deadLettersPending(flow))
                        .tag("flow", flow)
                        .description("Dead letters not replayed, per flow that gave up (table dead_letter); "
                                + "NaN when the database cannot be read")
                        .register(registry);
            }
        }
    }

    private static Map<String, Long> pendingDeadLetters(JdbcTemplate jdbc) {
        Map<String, Long> pending = new HashMap<>();
        jdbc.query(DEAD_LETTERS_PENDING, rs -> {
            pending.put(rs.getString(1), rs.getLong(2));
        });
        return pending;
    }

    private static HrSyncReading hrSyncReading(JdbcTemplate jdbc) {
        Map<String, Instant> lastSuccess = new HashMap<>();
        jdbc.query(HR_LAST_SUCCESS, rs -> {
            Timestamp ended = rs.getTimestamp(2);
            if (ended != null) {
                lastSuccess.put(rs.getString(1), ended.toInstant());
            }
        });
        Map<String, String> lastStatus = new HashMap<>();
        jdbc.query(HR_LAST_STATUS, rs -> {
            lastStatus.put(rs.getString(1), rs.getString(2));
        });
        return new HrSyncReading(lastSuccess, lastStatus);
    }

    @Override
    public void destroy() {
        reader.shutdownNow();
    }
}
