-- An operator's resolution of an UNCERTAIN registration: REGISTERED, or PENDING and due now; 0 rows = unknown id or
-- not UNCERTAIN. Params: :#VisitorRegistrationId, :#VisitorStatus, :#VisitorStatusReason, :#VisitorRegisteredAt, :#VisitorNow
UPDATE visitor_registration SET status = :#VisitorStatus, status_reason = :#VisitorStatusReason,
    next_attempt_at = :#VisitorNow, registered_at = :#VisitorRegisteredAt, updated_at = :#VisitorNow
WHERE id = :#VisitorRegistrationId AND status = 'UNCERTAIN'
