-- A failed fan-out: PENDING again at :#FanoutNextAttemptAt, or DEAD after the last attempt (the route decides).
-- Params: :#FanoutStatus, :#FanoutAttempts, :#FanoutNextAttemptAt, :#FanoutError (headers), :#eventId
UPDATE access_event SET fanout_status = :#FanoutStatus, fanout_attempts = :#FanoutAttempts,
next_attempt_at = :#FanoutNextAttemptAt, last_error = :#FanoutError WHERE id = :#eventId
