-- Closes the run's audit row with its outcome, counts and the watermark the next incremental run reads from.
-- Parameters (body = HrSyncRuns.runRow): :#id, :#status, :#endedAt, :#created, :#updated, :#deleted, :#failed,
-- :#rejected, :#held, :#unchanged, :#watermark, :#message
UPDATE sync_run SET status = :#status, ended_at = :#endedAt, created = :#created, updated = :#updated,
    deleted = :#deleted, failed = :#failed, rejected = :#rejected, held = :#held, unchanged = :#unchanged,
    watermark = :#watermark, message = :#message
WHERE id = :#id
