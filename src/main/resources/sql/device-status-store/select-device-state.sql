-- The stored status of a box and its cameras (camera_id '' is the box), locked until the commit.
-- Params: :#boxId
SELECT camera_id, status FROM device_state WHERE box_id = :#boxId FOR UPDATE
