-- Opens a pass; its started_at (database clock) is the line before which an unlisted device counts as removed.
-- :#DeviceInventoryPassId (header)
INSERT INTO device_inventory_pass (pass_id, status) VALUES (:#DeviceInventoryPassId, 'RUNNING')
