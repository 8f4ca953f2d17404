-- Idempotency-Key of POST /api/visitors: a client that repeats a request (e.g. after a timeout) with the
-- same key gets the registration the first request made, never a second visitor on the platform.
ALTER TABLE visitor_registration ADD COLUMN idempotency_key VARCHAR(100);
-- SHA-256 of the request's fields and photo: the same key with a different visitor is refused (422)
ALTER TABLE visitor_registration ADD COLUMN request_digest VARCHAR(64);
-- NULLs (requests without a key, table rows) never collide; two concurrent requests with one key do (409)
CREATE UNIQUE INDEX visitor_registration_idempotency_key_uq ON visitor_registration (idempotency_key);
