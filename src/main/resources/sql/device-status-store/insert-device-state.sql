-- First report of a box or camera. Params: one planned row of DeviceStatusPlanner
-- (:#boxId, :#cameraId, :#scope, :#status, :#name, :#ip, :#mac, :#sn, :#swVersion, :#reportedAt)
INSERT INTO device_state (box_id, camera_id, scope, status, name, ip, mac, sn, sw_version, status_since, last_report_at)
VALUES (:#boxId, :#cameraId, :#scope, :#status, :#name, :#ip, :#mac, :#sn, :#swVersion, :#reportedAt, :#reportedAt)
