-- Later reports: details refreshed every time, status_since moved only on a change of status.
-- Params: one planned row (:#boxId, :#cameraId, :#status, :#name, :#ip, :#mac, :#sn, :#swVersion, :#reportedAt)
UPDATE device_state SET status = :#status, name = COALESCE(:#name, name), ip = COALESCE(:#ip, ip),
mac = COALESCE(:#mac, mac), sn = COALESCE(:#sn, sn), sw_version = COALESCE(:#swVersion, sw_version),
status_since = CASE WHEN status <> :#status THEN :#reportedAt ELSE status_since END,
last_report_at = :#reportedAt, updated_at = CURRENT_TIMESTAMP
WHERE box_id = :#boxId AND camera_id = :#cameraId
