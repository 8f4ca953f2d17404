-- Closes a pass with its outcome.
-- Body = the pass summary: :#status, :#pages, :#devicesListed, :#devicesRemoved, :#failureReason, :#passId
UPDATE device_inventory_pass SET finished_at = CURRENT_TIMESTAMP, status = :#status, pages = :#pages,
devices_listed = :#devicesListed, devices_removed = :#devicesRemoved, failure_reason = :#failureReason
WHERE pass_id = :#passId
