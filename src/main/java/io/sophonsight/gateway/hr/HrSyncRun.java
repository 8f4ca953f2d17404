package io.sophonsight.gateway.hr;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync run while it is going: its counts, its progress and its outcome. Shared by the
 * parallel workers of the run, so every count is atomic.
 */
public class HrSyncRun {

    private static final Logger LOG = LoggerFactory.getLogger(HrSyncRun.class);

    private final HrSyncMode mode;
    private final boolean dryRun;
    private final Timestamp since;
    private final Instant startedAt = Instant.now();
    private final long progressIntervalMs;
    private long id;
    private volatile Instant endedAt;
    private volatile String status = "RUNNING";
    private volatile String message;
    private volatile int total;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger updated = new AtomicInteger();
    private final AtomicInteger deleted = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger rejectedAtUpload = new AtomicInteger();
    /** Confirmed calls waiting for their batched sync_state write (at the end of each batch and of the run). */
    private final Queue<HrSyncRuns.Synced> confirmed = new ConcurrentLinkedQueue<>();
    private volatile int held;
    private volatile int unchanged;
    private final AtomicReference<Timestamp> maxSeen = new AtomicReference<>();
    private final AtomicReference<Timestamp> oldestFailure = new AtomicReference<>();
    private volatile long lastProgressLog = System.nanoTime();
    /** Set by the first parallel task that finds the platform unavailable: the others skip their call. */
    private final AtomicReference<Exception> stopCause = new AtomicReference<>();

    HrSyncRun(HrSyncMode mode, boolean dryRun, Timestamp since, long progressIntervalMs) {
        this.mode = mode;
        this.dryRun = dryRun;
        this.since = since;
        this.progressIntervalMs = progressIntervalMs;
        this.maxSeen.set(since);
    }

    /** Takes the plan's counts as far as it is planned (called after the orgs, each batch of people, the deletes). */
    void planned(HrSyncPlan plan) {
        total = plan.getWorkload();
        held = plan.getHeld();
        unchanged = plan.getUnchanged();
        rejected.set(plan.getRejectedCount());
    }

    /** A person planned for upload whose photo failed the checks when it was read for the upload. */
    void rejectedAtUpload() {
        rejectedAtUpload.incrementAndGet();
        step(1);
    }

    /** Keeps a confirmed call for the next batched sync_state write. */
    void confirmed(HrSyncRuns.Synced synced) {
        confirmed.add(synced);
    }

    /** The confirmed calls not yet written, taken out of the buffer. */
    List<HrSyncRuns.Synced> drainConfirmed() {
        List<HrSyncRuns.Synced> drained = new ArrayList<>();
        for (HrSyncRuns.Synced s; (s = confirmed.poll()) != null; ) {
            drained.add(s);
        }
        return drained;
    }

    void seen(Timestamp updatedAt) {
        if (updatedAt != null) {
            maxSeen.accumulateAndGet(updatedAt, (a, b) -> a == null || b.after(a) ? b : a);
        }
    }

    void created() {
        created.incrementAndGet();
        step(1);
    }

    void updated() {
        updated.incrementAndGet();
        step(1);
    }

    void deleted(int count) {
        deleted.addAndGet(count);
        step(count);
    }

    void failed(int count, Timestamp updatedAt) {
        failed.addAndGet(count);
        if (updatedAt != null) {
            oldestFailure.accumulateAndGet(updatedAt, (a, b) -> a == null || b.before(a) ? b : a);
        }
        step(count);
    }

    /** Logs done/total, rate and ETA when the progress interval has passed since the last such line. */
    private void step(int count) {
        int now = done.addAndGet(count);
        long nanos = System.nanoTime();
        long last = lastProgressLog;
        if (nanos - last >= progressIntervalMs * 1_000_000L && now < total) {
            synchronized (this) {
                if (lastProgressLog != last) {
                    return;
                }
                lastProgressLog = nanos;
            }
            double seconds = Math.max(0.001, Duration.between(startedAt, Instant.now()).toMillis() / 1000.0);
            double rate = now / seconds;
            long eta = rate > 0 ? Math.round((total - now) / rate) : -1;
            LOG.info("HR sync run {} ({}): {}/{} done ({}%), {}/s, ETA {}s", id, mode, now, total,
                    total == 0 ? 100 : now * 100 / total, String.format("%.1f", rate), eta);
        }
    }

    void end(String endStatus, String endMessage) {
        this.status = endStatus;
        if (endMessage != null) {
            this.message = endMessage;
        }
        this.endedAt = Instant.now();
    }

    void message(String text) {
        this.message = text;
    }

    void id(long runId) {
        this.id = runId;
    }

    /** The summary line of the run. */
    /** Asks the run to stop: tasks not yet started skip the platform, tasks in flight finish first. */
    public void stop(Exception cause) {
        stopCause.compareAndSet(null, cause);
    }

    public boolean isStopping() {
        return stopCause.get() != null;
    }

    public Exception getStopCause() {
        return stopCause.get();
    }

    public String summary() {
        return String.format("HR sync run %d (%s%s) %s in %.1f s: created=%d updated=%d deleted=%d failed=%d rejected=%d "
                        + "held=%d unchanged=%d%s", id, mode, dryRun ? ", dry run" : "", status,
                Duration.between(startedAt, endedAt == null ? Instant.now() : endedAt).toMillis() / 1000.0,
                created.get(), updated.get(), deleted.get(), failed.get(), getRejected(), held, unchanged,
                message == null ? "" : " - " + message);
    }

    /**
     * Where the next incremental run reads from: the newest HR change seen, but never past the
     * oldest row that failed, so that row is read (and retried) again.
     */
    public Timestamp getNextWatermark() {
        Timestamp failure = oldestFailure.get();
        Timestamp seen = maxSeen.get();
        return failure != null && (seen == null || failure.before(seen)) ? failure : seen;
    }

    public long getId() {
        return id;
    }

    public HrSyncMode getMode() {
        return mode;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    public Timestamp getSince() {
        return since;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getEndedAt() {
        return endedAt;
    }

    public String getStatus() {
        return status;
    }

    public String getMessage() {
        return message;
    }

    public int getTotal() {
        return total;
    }

    public int getDone() {
        return done.get();
    }

    public int getCreated() {
        return created.get();
    }

    public int getUpdated() {
        return updated.get();
    }

    public int getDeleted() {
        return deleted.get();
    }

    public int getFailed() {
        return failed.get();
    }

    public int getRejected() {
        return rejected.get() + rejectedAtUpload.get();
    }

    public int getHeld() {
        return held;
    }

    public int getUnchanged() {
        return unchanged;
    }

    @Override
    public String toString() {
        return summary();
    }
}
