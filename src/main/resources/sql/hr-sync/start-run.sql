-- Opens the run's audit row (status RUNNING); the generated id names the run in every log line.
-- Parameters (body = HrSyncRuns.runRow): :#mode, :#dryRun, :#startedAt
INSERT INTO sync_run (mode, dry_run, status, started_at) VALUES (:#mode, :#dryRun, 'RUNNING', :#startedAt)
