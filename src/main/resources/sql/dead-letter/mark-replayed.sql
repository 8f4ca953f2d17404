-- Replay: the dead letters just re-driven are marked, so they are not replayed twice. No parameters.
UPDATE dead_letter SET replayed_at = CURRENT_TIMESTAMP WHERE flow = 'access-event-fanout' AND replayed_at IS NULL
AND payload_ref IN (SELECT CAST(id AS VARCHAR(200)) FROM access_event WHERE fanout_status <> 'DEAD')
