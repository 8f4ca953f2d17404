-- The platform refused this record: the reason is kept on its row for the next run to retry (a row the platform
-- never confirmed stays unconfirmed). Run with batch=true, one row per id (HrSyncRuns.refusalRows).
-- Parameters per row: :#kind, :#thirdId, :#error
MERGE INTO sync_state s
USING (VALUES (CAST(:#kind AS VARCHAR(10)), CAST(:#thirdId AS VARCHAR(100)))) AS v (kind, third_id)
ON s.kind = v.kind AND s.third_id = v.third_id
WHEN MATCHED THEN UPDATE SET last_error = :#error, last_error_at = CURRENT_TIMESTAMP
WHEN NOT MATCHED THEN INSERT (kind, third_id, last_error, last_error_at)
    VALUES (v.kind, v.third_id, :#error, CURRENT_TIMESTAMP)
