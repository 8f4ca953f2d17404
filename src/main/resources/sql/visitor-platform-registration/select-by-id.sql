-- One registration by id (no row when unknown). Params: :#VisitorRegistrationId
SELECT id, source, source_ref, name, visit_start, visit_end, needs_audit, host_employee_id, visit_reason,
    photo_file, photo_id, status, status_reason, platform_status, platform_message, attempts, next_attempt_at,
    deadline_at, created_at, updated_at, registered_at
FROM visitor_registration WHERE id = :#VisitorRegistrationId
