-- Whether this HR row was already dead-lettered for this reason and not replayed (so a row rejected every run is
-- kept once). Parameters: :#DeadLetterFlow, :#DeadLetterRef, :#DeadLetterReason (headers of direct:dead-letter)
SELECT COUNT(*) FROM dead_letter
WHERE flow = :#DeadLetterFlow AND payload_ref = :#DeadLetterRef AND reason = :#DeadLetterReason AND replayed_at IS NULL
