-- A photo this run uploaded for a person whose addOrEdit did not go through: remembered, so the next attempt
-- references this upload instead of sending the same bytes again.
-- Parameters: :#HrThirdId, :#HrPhotoHash, :#HrPhotoId (headers)
MERGE INTO sync_state s
USING (VALUES (CAST('PERSON' AS VARCHAR(10)), CAST(:#HrThirdId AS VARCHAR(100)))) AS v (kind, third_id)
ON s.kind = v.kind AND s.third_id = v.third_id
WHEN MATCHED THEN UPDATE SET pending_photo_hash = :#HrPhotoHash, pending_photo_id = :#HrPhotoId
WHEN NOT MATCHED THEN INSERT (kind, third_id, pending_photo_hash, pending_photo_id)
    VALUES (v.kind, v.third_id, :#HrPhotoHash, :#HrPhotoId)
