-- Keeps the audit trail bounded (hr.sync.run-retention): ended runs that started before the cutoff are dropped.
-- Parameters: :#HrSyncRunsBefore (header, a timestamp)
DELETE FROM sync_run WHERE started_at < :#HrSyncRunsBefore AND status <> 'RUNNING'
