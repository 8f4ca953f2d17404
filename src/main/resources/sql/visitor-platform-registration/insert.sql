-- A new registration, PENDING and due at once (visitor-accept).
-- Params: the column values of visitorLifecycle.newRegistration in the body (Map): :#id, :#source, ... :#created_at
INSERT INTO visitor_registration (id, source, source_ref, idempotency_key, request_digest, name, visit_start,
    visit_end, needs_audit, host_employee_id, visit_reason, photo_file, status, attempts, next_attempt_at, deadline_at,
    created_at, updated_at)
VALUES (:#id, :#source, :#source_ref, :#idempotency_key, :#request_digest, :#name, :#visit_start, :#visit_end,
    :#needs_audit, :#host_employee_id, :#visit_reason, :#photo_file, :#status, 0, :#next_attempt_at, :#deadline_at,
    :#created_at, :#created_at)
