-- A failed run: the watermark stays (the next run repeats the window), the reason is kept for operators.
-- Body = the failed run's summary: :#failureReason, :#kind
UPDATE access_record_watermark SET last_failed_at = CURRENT_TIMESTAMP, last_failure = :#failureReason
WHERE kind = :#kind
