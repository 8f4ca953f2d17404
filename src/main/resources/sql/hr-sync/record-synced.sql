-- The platform confirmed this org or person: its row now says what the platform holds (a pending upload and the
-- last refusal are cleared). Run with batch=true, one row per element of the body list (HrSyncRuns.drainConfirmed).
-- Parameters per row: :#kind, :#thirdId, :#parentId, :#contentHash, :#photoHash, :#photoId, :#platformId
MERGE INTO sync_state s
USING (VALUES (CAST(:#kind AS VARCHAR(10)), CAST(:#thirdId AS VARCHAR(100)))) AS v (kind, third_id)
ON s.kind = v.kind AND s.third_id = v.third_id
WHEN MATCHED THEN UPDATE SET parent_id = :#parentId, content_hash = :#contentHash, photo_hash = :#photoHash,
    photo_id = :#photoId, pending_photo_hash = NULL, pending_photo_id = NULL,
    platform_id = COALESCE(CAST(:#platformId AS VARCHAR(100)), s.platform_id), synced_at = CURRENT_TIMESTAMP,
    last_error = NULL, last_error_at = NULL
WHEN NOT MATCHED THEN INSERT (kind, third_id, parent_id, content_hash, photo_hash, photo_id, platform_id, synced_at)
    VALUES (v.kind, v.third_id, :#parentId, :#contentHash, :#photoHash, :#photoId, :#platformId, CURRENT_TIMESTAMP)
