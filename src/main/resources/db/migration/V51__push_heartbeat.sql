-- When the platform last pushed, of each kind, whichever replica took the push: the silence check runs on one
-- replica only (the leader) and must see the pushes the others received. Written at most every few seconds
-- per replica (push.silence.heartbeat-interval), never on every push.
CREATE TABLE push_heartbeat (
    kind         VARCHAR(20) PRIMARY KEY,              -- access or device-status
    last_push_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO push_heartbeat (kind, last_push_at) VALUES ('access', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
INSERT INTO push_heartbeat (kind, last_push_at) VALUES ('device-status', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
