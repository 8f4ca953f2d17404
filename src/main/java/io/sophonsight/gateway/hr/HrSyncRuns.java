package io.sophonsight.gateway.hr;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.sophonsight.gateway.api.ProblemAnswers;
import io.sophonsight.gateway.common.FailureReason;
import io.sophonsight.gateway.cluster.ClusterRunLock;
import io.sophonsight.gateway.sophonsight.SophonSightCallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The computations of a sync run for {@code routes/hr-sync.camel.yaml}: the run object and its counts, the run
 * lock (one run at a time, here and across replicas), and the rows the route writes into {@code sync_run} and
 * {@code sync_state}. It runs no SQL and sets no header: the route decides and writes.
 */
@Component("hrSyncRuns")
public class HrSyncRuns {

    /** Exchange property holding the current {@link HrSyncRun}. */
    public static final String RUN = "hrRun";
    /** Name of the run lock shared by every replica: one HR sync run at a time across all of them. */
    static final String RUN_LOCK = "hr-sync-run";

    private static final Logger LOG = LoggerFactory.getLogger(HrSyncRuns.class);

    private final ClusterRunLock runLock;
    private final boolean dryRunAlways;
    private final long progressIntervalMs;
    private final Duration watermarkOverlap;
    private final Duration runRetention;
    private final AtomicReference<HrSyncRun> active = new AtomicReference<>();
    private volatile HrSyncRun last;

    public HrSyncRuns(ClusterRunLock runLock, HrProperties hr) {
        this.runLock = runLock;
        this.dryRunAlways = hr.sync().dryRun();
        this.progressIntervalMs = hr.sync().progressInterval().toMillis();
        this.watermarkOverlap = hr.sync().watermarkOverlap();
        this.runRetention = hr.sync().runRetention();
    }

    // ---- start of a run ----

    /**
     * A new run, not yet started. An incremental run reads HR from the watermark minus
     * {@code hr.sync.watermark-overlap} (HR transactions that committed late); the route has already turned an
     * incremental run without a watermark into a full one.
     */
    public HrSyncRun newRun(String mode, String dryRun, Timestamp watermark) {
        HrSyncMode runMode = HrSyncMode.valueOf(mode);
        Timestamp since = runMode == HrSyncMode.INCREMENTAL && watermark != null
                ? new Timestamp(watermark.getTime() - watermarkOverlap.toMillis()) : null;
        return new HrSyncRun(runMode, dryRunAlways || "true".equalsIgnoreCase(dryRun), since, progressIntervalMs);
    }

    /**
     * Takes the run lock for this run: false when a run is already going here (a schedule firing during a long
     * run) or on another replica (the {@code hr-sync-run} row of {@link ClusterRunLock}, renewed while it runs).
     */
    public boolean claim(HrSyncRun run) {
        if (!active.compareAndSet(null, run)) {
            return false;
        }
        if (!runLock.tryAcquire(RUN_LOCK)) {
            active.compareAndSet(run, null);
            return false;
        }
        return true;
    }

    /** Why a run could not be claimed: where the run going now runs. */
    public String busyReason() {
        HrSyncRun running = active.get();
        if (running != null) {
            return "an HR sync run is already going on this replica; try again when it has ended";
        }
        String holder = runLock.holder(RUN_LOCK);
        return "an HR sync run is already going on another replica" + (holder == null ? "" : " (" + holder + ")")
                + "; try again when it has ended";
    }

    /** The run's sync_run row is written: its id names the run from now on. */
    public void started(HrSyncRun run, long id) {
        run.id(id);
        LOG.debug("HR sync run {} ({}{}) started{}", id, run.getMode(), run.isDryRun() ? ", dry run" : "",
                run.getSince() == null ? "" : ", reading HR changes since " + run.getSince());
    }

    /** The parameters of {@code sql/hr-sync/start-run.sql} and {@code finish-run.sql}. */
    public Map<String, Object> runRow(HrSyncRun run) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", run.getId());
        row.put("mode", run.getMode().name());
        row.put("dryRun", run.isDryRun());
        row.put("startedAt", Timestamp.from(run.getStartedAt()));
        row.put("status", run.getStatus());
        row.put("endedAt", run.getEndedAt() == null ? null : Timestamp.from(run.getEndedAt()));
        row.put("created", run.getCreated());
        row.put("updated", run.getUpdated());
        row.put("deleted", run.getDeleted());
        row.put("failed", run.getFailed());
        row.put("rejected", run.getRejected());
        row.put("held", run.getHeld());
        row.put("unchanged", run.getUnchanged());
        row.put("watermark", run.getNextWatermark());
        row.put("message", FailureReason.text(run.getMessage(), 2000));
        return row;
    }

    // ---- planning ----

    /** After a batch of people is planned: the run takes the plan's counts so far. */
    public void batchPlanned(HrSyncRun run, HrSyncPlan plan) {
        run.planned(plan);
    }

    /** Once every person was seen and the deletes are planned: the run takes the final counts and logs the plan. */
    public void planned(HrSyncRun run, HrSyncPlan plan) {
        run.planned(plan);
        if (plan.getWorkload() > 0 || plan.getRejectedCount() > 0 || plan.getHeld() > 0 || run.isDryRun()) {
            LOG.info("HR sync run {} ({}) plan: {}", run.getId(), run.getMode(), plan.describe());
        }
        if (run.isDryRun()) {
            run.message("dry run, nothing sent: " + plan.describe());
        }
    }

    // ---- outcomes of platform calls ----

    /** The platform holds the org now: recorded with the next batched sync_state write. */
    public void orgSynced(HrSyncRun run, HrChange.OrgUpsert org, Object data) {
        run.confirmed(new Synced(HrChange.ORG, org.thirdId(), org.parentId(), org.contentHash(), null, null, platformId(data)));
        count(run, org.create());
    }

    /**
     * The photo is on the platform: the person's addOrEdit references it next. Kept in memory only; written as the
     * person's pending photo only if that addOrEdit fails, so a successful person costs one sync_state row, not two.
     * {@code photoId}: the answer of direct:sophonsight-photo-upload, never blank (that route fails without one).
     */
    public void photoUploaded(HrChange.PersonUpsert person, String photoId) {
        person.photoUploaded(photoId);
    }

    /** The platform holds the person now: recorded with the next batched sync_state write. */
    public void personSynced(HrSyncRun run, HrChange.PersonUpsert person, Object data) {
        run.confirmed(new Synced(HrChange.PERSON, person.getThirdId(), person.getDepartmentId(), person.getContentHash(),
                person.getPhotoHash(), person.getPhotoId() == null || person.getPhotoId().isEmpty() ? null : person.getPhotoId(),
                platformId(data)));
        count(run, person.isCreate());
    }

    /** The rows of {@code sql/hr-sync/record-synced.sql} (one per confirmed call since the last write), taken out of the run. */
    public List<Map<String, Object>> drainConfirmed(HrSyncRun run) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Synced s : run.drainConfirmed()) {
            Map<String, Object> row = new java.util.HashMap<>(8);
            row.put("kind", s.kind());
            row.put("thirdId", s.thirdId());
            row.put("parentId", s.parentId());
            row.put("contentHash", s.contentHash());
            row.put("photoHash", s.photoHash());
            row.put("photoId", s.photoId());
            row.put("platformId", s.platformId());
            rows.add(row);
        }
        return rows;
    }

    /** Ids deleted on the platform (or already gone there): counted. */
    public void deleted(HrSyncRun run, HrChange.DeleteBatch batch) {
        run.deleted(batch.thirdIds().size());
    }

    /** Why the platform refused a call, in the words kept on the sync_state row. */
    public String refusalReason(Exception cause) {
        return cause == null ? "refused" : FailureReason.of(cause, 2000);
    }

    /** The rows of {@code sql/hr-sync/record-refusal.sql}: one per id of the refused change. */
    public List<Map<String, Object>> refusalRows(HrChange change, String reason) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String thirdId : change.thirdIds()) {
            rows.add(Map.of("kind", change.kind(), "thirdId", thirdId, "error", reason));
        }
        return rows;
    }

    /** A refused record: counted as failed; the watermark stays before it, so an incremental run retries it. */
    public void refused(HrSyncRun run, HrChange change) {
        run.failed(change.thirdIds().size(), change instanceof HrChange.PersonUpsert p ? p.getUpdatedAt() : null);
    }

    /**
     * The person's photo, read for its upload, failed the checks (changed in HR since planning: now outside the
     * folder, too large, not an image, gone): rejected locally like at planning, nothing sent for this person.
     */
    public List<HrSyncPlan.Rejection> photoRejected(HrSyncRun run, HrChange.PersonUpsert person, HrPhotoException reason) {
        run.rejectedAtUpload();
        return List.of(new HrSyncPlan.Rejection(HrChange.PERSON, person.getThirdId(), reason.getMessage(), person.toString()));
    }

    // ---- end of a run ----

    /** A task found the platform unavailable (or failed otherwise): the run stops once the tasks in flight are done. */
    public void stop(HrSyncRun run, Exception cause) {
        run.stop(cause);
    }

    /** After a phase of parallel or sequential sends: a run asked to stop fails now, when no call is in flight any more. */
    public void failIfStopped(HrSyncRun run) throws Exception {
        if (run.isStopping()) {
            throw run.getStopCause();
        }
    }

    /**
     * What a run's failure reports: the platform call failure in its cause chain (whose kind, unavailable or not,
     * decides ABORTED or FAILED in the route), else the failure itself.
     */
    public Throwable reportedCause(Exception cause) {
        Throwable root = cause;
        while (root != null && !(root instanceof SophonSightCallException) && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root instanceof SophonSightCallException ? root : cause;
    }

    /** Ends the run with this status (COMPLETED, DRY_RUN, ABORTED, FAILED) and message (null: keeps the message it has). */
    public void end(HrSyncRun run, String status, String message) {
        run.end(status, message);
    }

    /** The start before which ended runs are dropped from sync_run (hr.sync.run-retention). */
    public Timestamp retentionCutoff() {
        return Timestamp.from(Instant.now().minus(runRetention));
    }

    /** Lets the next run start, here and on every replica; the run becomes the last run. */
    public void release(HrSyncRun run) {
        runLock.release(RUN_LOCK);
        active.compareAndSet(run, null);
        last = run;
    }

    // ---- operator views ----

    /** Answer of {@code POST /api/hr-sync/run}: the run that was asked for. */
    public Map<String, Object> accepted(String mode, String dryRun) {
        return Map.of("started", mode, "dryRun", dryRunAlways || "true".equalsIgnoreCase(dryRun));
    }

    /** Why {@code POST /api/hr-sync/run} could not start a run (its 409 answer): where the run going now runs. */
    public Map<String, Object> busy() {
        Map<String, Object> answer = ProblemAnswers.of("run-going", 409, "HR sync run already going", busyReason());
        HrSyncRun running = active.get();
        if (running != null) {
            answer.put("running", running.summary());
        }
        return answer;
    }

    /** What an operator asks first: is a run going, how did the last one end, are deletes held. */
    public Map<String, Object> status(HrDeletionGuard guard) {
        Map<String, Object> status = new LinkedHashMap<>();
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

    /** What the platform confirmed for one record, waiting in a run's buffer for the next batched write. */
    public record Synced(String kind, String thirdId, String parentId, String contentHash, String photoHash, String photoId,
                         String platformId) { }

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
