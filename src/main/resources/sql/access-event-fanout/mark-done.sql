-- Fan-out of one outbox row done: DONE, the attempt counted, the last error cleared.
-- Params: :#eventId
UPDATE access_event SET fanout_status = 'DONE', last_error = NULL,
fanout_attempts = fanout_attempts + 1, fanned_out_at = CURRENT_TIMESTAMP WHERE id = :#eventId
