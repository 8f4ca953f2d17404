package io.sophonsight.gateway.hr;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.sophonsight.gateway.cluster.ClusterRunLock;
import io.sophonsight.gateway.sophonsight.SophonSightBusinessException;
import io.sophonsight.gateway.sophonsight.SophonSightCallException;
import io.sophonsight.gateway.sophonsight.SophonSightUnavailableException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The bookkeeping of sync runs: starts a run (one at a time), records each platform outcome in
 * {@code sync_state} and the run's counts, and ends the run with its {@code sync_run} row and one
 * summary line. Called step by step from {@code routes/hr-sync.camel.yaml}.
 */
@Component("hrSyncRuns")
public class HrSyncRuns {

    /** Exchange property holding the current {@link HrSyncRun}. */
    public static final String RUN = "hrRun";
    /** Exchange property holding the {@link HrChange} being sent. */
    public static final String CHANGE = "hrChange";
    static final String FLOW = "hr-sync-run";
    /** Name of the run lock shared by every replica: one HR sync run at a time across all of them. */
    static final String RUN_LOCK = "hr-sync-run";

    private static final Logger LOG = LoggerFactory.getLogger(HrSyncRuns.class);

    private final HrSyncStateStore store;
    private final ClusterRunLock runLock;
    private final boolean dryRunAlways;
    private final long progressIntervalMs;
    private final Duration watermarkOverlap;
    private final Duration runRetention;
    private final AtomicReference<HrSyncRun> active = new AtomicReference<>();
    private volatile HrSyncRun last;

    public HrSyncRuns(HrSyncStateStore store, ClusterRunLock runLock, HrProperties hr) {
        this.store = store;
        this.runLock = runLock;
        this.dryRunAlways = hr.sync().dryRun();
        this.progressIntervalMs = hr.sync().progressInterval().toMillis();
        this.watermarkOverlap = hr.sync().watermarkOverlap();
        this.runRetention = hr.sync().runRetention();
    }

    /**
     * Starts a run, or answers null when one is already going, here or on another replica (a schedule firing
     * during a long run, an operator's run while the leader's schedule runs). {@code begun} is a run the caller
     * already started (the admin endpoint starts it before answering, so it can answer 409): it is kept as is.
     * An incremental run without a watermark yet (nothing completed so far) runs as a full one.
     */
    public HrSyncRun begin(String mode, String dryRun, HrSyncRun begun) {
        return begun != null ? begun : begin(mode, dryRun);
    }

    /** Starts a run, or answers null when one is already going here or on another replica. */
    public HrSyncRun begin(String mode, String dryRun) {
        HrSyncMode requested = mode == null || mode.isBlank() ? HrSyncMode.FULL : HrSyncMode.valueOf(mode.trim().toUpperCase());
        Timestamp since = null;
        if (requested == HrSyncMode.INCREMENTAL) {
            Timestamp watermark = store.lastWatermark();
            if (watermark == null) {
                requested = HrSyncMode.FULL;
            } else {
                since = new Timestamp(watermark.getTime() - watermarkOverlap.toMillis());
            }
        }
        HrSyncRun run = new HrSyncRun(requested, dryRunAlways || "true".equalsIgnoreCase(dryRun), since, progressIntervalMs);
        if (!active.compareAndSet(null, run)) {
            LOG.info("HR sync ({}) skipped: run {} is still going", requested, active.get().getId());
            return null;
        }
        if (!runLock.tryAcquire(RUN_LOCK)) {
            active.compareAndSet(run, null);
            LOG.info("HR sync ({}) skipped: a run is going on another replica ({})", requested, runLock.holder(RUN_LOCK));
            return null;
        }
        try {
            run.id(store.startRun(run));
        } catch (RuntimeException e) {
            runLock.release(RUN_LOCK);
            active.compareAndSet(run, null);
            throw e;
        }
        LOG.debug("HR sync run {} ({}{}) started{}", run.getId(), run.getMode(), run.isDryRun() ? ", dry run" : "",
                since == null ? "" : ", reading HR changes since " + since);
        return run;
    }

    /** After the orgs are planned: records the orgs rejected locally (dead_letter, once per row and reason). */
    public void orgsPlanned(HrSyncRun run, HrSyncPlan plan) {
        recordRejections(run, plan.getOrgRejections());
    }

    /** After a batch of people is planned: records its rejections and takes the plan's counts so far. */
    public void batchPlanned(HrSyncRun run, HrSyncPlan plan, HrPeopleBatch batch) {
        recordRejections(run, batch.rejections());
        run.planned(plan);
    }

    /** Once every person was seen and the deletes are planned: logs the plan, drops the forgotten rows. */
    public void planned(HrSyncRun run, HrSyncPlan plan) {
        run.planned(plan);
        if (plan.getWorkload() > 0 || plan.getRejectedCount() > 0 || plan.getHeld() > 0 || run.isDryRun()) {
            LOG.info("HR sync run {} ({}) plan: {}", run.getId(), run.getMode(), plan.describe());
        }
        if (run.isDryRun()) {
            run.message("dry run, nothing sent: " + plan.describe());
            return;
        }
        Map<String, List<String>> forgotten = new java.util.HashMap<>();
        for (String kindAndId : plan.getForgotten()) {
            String[] parts = kindAndId.split(":", 2);
            forgotten.computeIfAbsent(parts[0], k -> new java.util.ArrayList<>()).add(parts[1]);
        }
        forgotten.forEach((kind, ids) -> {
            for (int from = 0; from < ids.size(); from += 500) {
                store.forget(kind, ids.subList(from, Math.min(ids.size(), from + 500)));
            }
        });
    }

    private void recordRejections(HrSyncRun run, List<HrSyncPlan.Rejection> rejections) {
        for (HrSyncPlan.Rejection rejection : rejections) {
            if (run.isDryRun()) {
                LOG.info("HR sync run {} would reject {} {}: {}", run.getId(), rejection.kind(), rejection.thirdId(),
                        rejection.reason());
            } else {
                LOG.warn("HR sync run {} rejected {} '{}': {}", run.getId(), rejection.kind(), rejection.thirdId(),
                        rejection.reason());
                store.rejected(FLOW, rejection);
            }
        }
    }

    // ---- outcomes of platform calls ----

    public void orgSynced(HrSyncRun run, HrChange.OrgUpsert org, Object data) {
        store.synced(new HrSyncStateStore.Synced(HrChange.ORG, org.thirdId(), org.parentId(), org.contentHash(), null, null,
                platformId(data)));
        count(run, org.create());
    }

    /**
     * The photo is on the platform: the person's addOrEdit references it next. Kept in memory only; written as the
     * person's pending photo only if that addOrEdit fails ({@link #refused}, {@link #stopAfterInFlight}), so a
     * successful person costs one sync_state write, not two.
     */
    public void photoUploaded(HrSyncRun run, HrChange.PersonUpsert person, Object data) {
        Object photoId = data instanceof Map<?, ?> map ? map.get("photoId") : null;
        if (photoId == null || photoId.toString().isBlank()) {
            throw new SophonSightBusinessException("/openapi/v1/pic/upload", -1, "upload answered without a photoId");
        }
        person.photoUploaded(photoId.toString());
    }

    /** The platform holds the person now: recorded with the next batched sync_state write ({@link #flush}). */
    public void personSynced(HrSyncRun run, HrChange.PersonUpsert person, Object data) {
        run.confirmed(new HrSyncStateStore.Synced(HrChange.PERSON, person.getThirdId(), person.getDepartmentId(),
                person.getContentHash(), person.getPhotoHash(),
                person.getPhotoId() == null || person.getPhotoId().isEmpty() ? null : person.getPhotoId(), platformId(data)));
        count(run, person.isCreate());
    }

    /** Writes the confirmed people of the run so far into sync_state: one transaction, two JDBC batches. */
    public void flush(HrSyncRun run) {
        store.synced(run.drainConfirmed());
    }

    /**
     * The person's photo, read for its upload, failed the checks (changed in HR since planning: now outside the
     * folder, too large, not an image, gone): rejected locally like at planning, nothing sent for this person.
     */
    public void photoRejected(HrSyncRun run, HrChange.PersonUpsert person, HrPhotoException reason) {
        HrSyncPlan.Rejection rejection = new HrSyncPlan.Rejection(HrChange.PERSON, person.getThirdId(), reason.getMessage(),
                person.toString());
        LOG.warn("HR sync run {} rejected {} '{}' at upload: {}", run.getId(), rejection.kind(), rejection.thirdId(),
                rejection.reason());
        store.rejected(FLOW, rejection);
        run.rejectedAtUpload();
    }

    public void deleted(HrSyncRun run, HrChange.DeleteBatch batch) {
        store.forget(batch.kind(), batch.thirdIds());
        run.deleted(batch.thirdIds().size());
    }

    /** A person whose addOrEdit failed after this run uploaded its photo: the upload is remembered for the retry. */
    private void rememberUpload(HrChange change) {
        if (change instanceof HrChange.PersonUpsert person && person.isUploadedThisRun()) {
            store.photoUploaded(person.getThirdId(), person.getPhotoHash(), person.getPhotoId());
        }
    }

    /**
     * The platform refused one record (or one delete batch): the reason is kept on its sync_state
     * row for the next run to retry, the run counts it and goes on. Called by the shared
     * {@code hr-sync-record} route configuration.
     */
    public void refused(Exchange exchange) {
        HrSyncRun run = exchange.getProperty(RUN, HrSyncRun.class);
        HrChange change = exchange.getProperty(CHANGE, HrChange.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause instanceof SophonSightCallException call ? call.getMessage()
                : cause == null ? "refused" : cause.toString();
        if (change == null || run == null) {
            LOG.warn("HR sync: a platform refusal outside of a run: {}", reason);
            return;
        }
        for (String thirdId : change.thirdIds()) {
            store.refused(change.kind(), thirdId, reason);
        }
        rememberUpload(change);
        if (change instanceof HrChange.PersonUpsert person && person.isReusesPendingPhoto()) {
            // the earlier upload was given one more chance and refused too: the next attempt uploads afresh
            store.clearPendingPhoto(person.getThirdId());
        }
        LOG.warn("HR sync run {}: platform refused {} {}: {}", run.getId(), change.kind(),
                change.thirdIds().size() == 1 ? change.thirdIds().get(0) : change.thirdIds().size() + " ids", reason);
        run.failed(change.thirdIds().size(), change instanceof HrChange.PersonUpsert p ? p.getUpdatedAt() : null);
    }

    // ---- end of a run ----

    /**
     * A parallel task found the platform unavailable: the run stops once the tasks in flight are done. A photo
     * this person's attempt uploaded is remembered, so the next run does not send it again.
     */
    public void stopAfterInFlight(HrSyncRun run, HrChange change, Exception cause) {
        run.stop(cause);
        rememberUpload(change);
    }

    /** After the parallel people step: a run asked to stop fails now, when no call is in flight any more. */
    public void failIfStopped(HrSyncRun run) throws Exception {
        if (run.isStopping()) {
            throw run.getStopCause();
        }
    }

    public void completed(HrSyncRun run) {
        run.end(run.isDryRun() ? "DRY_RUN" : "COMPLETED", null);
    }

    /** The run stopped early (platform unavailable, HR unreadable): whatever was confirmed stays recorded, the rest waits. */
    public void aborted(HrSyncRun run, Exception cause) {
        Throwable root = cause;
        while (root != null && !(root instanceof SophonSightCallException) && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        Throwable reported = root instanceof SophonSightCallException ? root : cause;
        String reason = reported == null ? "unknown failure" : reported.getMessage();
        boolean unavailable = reported instanceof SophonSightUnavailableException;
        run.end(unavailable ? "ABORTED" : "FAILED", (unavailable ? "platform unavailable, the next run picks up the rest: "
                : "run failed: ") + reason);
    }

    /** Always last: writes the sync_run row, logs the summary line, lets the next run start. */
    public HrSyncRun finish(HrSyncRun run) {
        if (run.getEndedAt() == null) {
            run.end("FAILED", "run ended without an outcome");
        }
        try {
            flush(run); // whatever the platform confirmed is recorded, however the run ended
            store.finishRun(run);
            store.forgetRunsBefore(java.time.Instant.now().minus(runRetention));
        } finally {
            runLock.release(RUN_LOCK);
            active.compareAndSet(run, null);
            last = run;
        }
        if ("COMPLETED".equals(run.getStatus()) || "DRY_RUN".equals(run.getStatus())) {
            LOG.info(run.summary());
        } else {
            LOG.warn(run.summary());
        }
        return run;
    }

    /** Answer of {@code POST /api/hr-sync/run}: the run that was asked for. */
    public Map<String, Object> accepted(String mode, String dryRun) {
        return Map.of("started", mode, "dryRun", dryRunAlways || "true".equalsIgnoreCase(dryRun));
    }

    /** Why {@code POST /api/hr-sync/run} could not start a run (its 409 answer): where the run going now runs. */
    public Map<String, Object> busy() {
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        HrSyncRun running = active.get();
        if (running != null) {
            answer.put("error", "an HR sync run is already going on this replica; try again when it has ended");
            answer.put("running", running.summary());
        } else {
            String holder = runLock.holder(RUN_LOCK);
            answer.put("error", "an HR sync run is already going on another replica"
                    + (holder == null ? "" : " (" + holder + ")") + "; try again when it has ended");
        }
        return answer;
    }

    /** What an operator asks first: is a run going, how did the last one end, are deletes held. */
    public Map<String, Object> status(HrDeletionGuard guard) {
        Map<String, Object> status = new java.util.LinkedHashMap<>();
        HrSyncRun running = active.get();
        HrSyncRun ended = last;
        status.put("running", running == null ? null : running.summary());
        status.put("lastRun", ended == null ? null : ended.summary());
        status.put("heldPersonDeletes", guard.getHeldPersonDeletes());
        status.put("heldOrgDeletes", guard.getHeldOrgDeletes());
        status.put("heldSince", guard.getHeldSince());
        status.put("confirmationPending", guard.isConfirmationPending());
        return status;
    }

    /** The run going on now, or null. */
    public HrSyncRun active() {
        return active.get();
    }

    /** The last run that ended, or null. */
    public HrSyncRun last() {
        return last;
    }

    private static void count(HrSyncRun run, boolean create) {
        if (create) {
            run.created();
        } else {
            run.updated();
        }
    }

    private static String platformId(Object data) {
        Object id = data instanceof Map<?, ?> map ? map.get("id") : null;
        return id == null ? null : id.toString();
    }
}
