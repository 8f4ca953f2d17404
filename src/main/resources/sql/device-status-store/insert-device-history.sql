-- A change of status, appended to the history (never a repeat of the same status).
-- Params: one planned row (:#boxId, :#cameraId, :#scope, :#fromStatus, :#status, :#reportedAt)
INSERT INTO device_status_history (box_id, camera_id, scope, from_status, to_status, reported_at)
VALUES (:#boxId, :#cameraId, :#scope, :#fromStatus, :#status, :#reportedAt)
