-- The registration an earlier POST with the same Idempotency-Key made (id, request_digest); no row when none.
-- Params: :#VisitorIdempotencyKey
SELECT id, request_digest FROM visitor_registration WHERE idempotency_key = :#VisitorIdempotencyKey
