-- How many dead letters of this flow, item and reason are not replayed yet (DeadLetterOnce = true keeps one).
-- Body = the row of deadLetters.row(...): :#flow, :#ref, :#reason
SELECT COUNT(*) FROM dead_letter WHERE flow = :#flow AND payload_ref = :#ref AND reason = :#reason AND replayed_at IS NULL
