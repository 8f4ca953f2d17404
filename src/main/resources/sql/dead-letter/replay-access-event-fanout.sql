-- Replay: access events whose fan-out gave up become pending again, with fresh attempts. No parameters.
UPDATE access_event SET fanout_status = 'PENDING', fanout_attempts = 0, next_attempt_at = CURRENT_TIMESTAMP
WHERE fanout_status = 'DEAD' AND CAST(id AS VARCHAR(200)) IN
(SELECT payload_ref FROM dead_letter WHERE flow = 'access-event-fanout' AND replayed_at IS NULL)
