-- Where the next incremental run starts reading HR: the watermark of the last completed real run
-- (NULL when none: the run reads everything, as a FULL run). No parameters.
SELECT watermark FROM sync_run
WHERE status = 'COMPLETED' AND dry_run = FALSE AND watermark IS NOT NULL
ORDER BY id DESC LIMIT 1
