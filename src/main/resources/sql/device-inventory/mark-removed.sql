-- After a COMPLETE pass only: devices not listed since the pass started are marked removed, never deleted.
-- :#DeviceInventoryPassId (header)
UPDATE device SET removed_at = CURRENT_TIMESTAMP WHERE removed_at IS NULL AND last_seen_at <
(SELECT started_at FROM device_inventory_pass WHERE pass_id = :#DeviceInventoryPassId)
