-- One attempt takes a due PENDING registration until :#VisitorLeaseUntil and counts it; 0 rows = not due, or another
-- attempt has it. Params: :#VisitorRegistrationId, :#VisitorNow, :#VisitorLeaseUntil
UPDATE visitor_registration SET attempts = attempts + 1, next_attempt_at = :#VisitorLeaseUntil, updated_at = :#VisitorNow
WHERE id = :#VisitorRegistrationId AND status = 'PENDING' AND next_attempt_at <= :#VisitorNow
