-- A completed window: its end becomes the watermark (never moved backwards), with the run's counts.
-- Body = the run summary: :#windowTo, :#fetched, :#stored, :#kind
UPDATE access_record_watermark SET watermark_ms = CASE WHEN watermark_ms IS NULL OR watermark_ms < :#windowTo
THEN :#windowTo ELSE watermark_ms END, last_completed_at = CURRENT_TIMESTAMP, last_fetched = :#fetched,
last_stored = :#stored WHERE kind = :#kind
