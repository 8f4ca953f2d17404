-- The outcome of one attempt (REGISTERED, REJECTED, PENDING with its next attempt, FAILED, UNCERTAIN).
-- Params: :#VisitorRegistrationId, :#VisitorStatus, :#VisitorStatusReason, :#VisitorPlatformStatus,
-- :#VisitorPlatformMessage, :#VisitorNextAttemptAt, :#VisitorRegisteredAt, :#VisitorNow
UPDATE visitor_registration SET status = :#VisitorStatus, status_reason = :#VisitorStatusReason,
    platform_status = :#VisitorPlatformStatus, platform_message = :#VisitorPlatformMessage,
    next_attempt_at = :#VisitorNextAttemptAt, registered_at = :#VisitorRegisteredAt, updated_at = :#VisitorNow
WHERE id = :#VisitorRegistrationId
