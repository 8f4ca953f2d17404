-- Stores a device listed for the first time.
-- Body = one device row: :#locationId, :#nodeType, :#name, :#createdAt
INSERT INTO device (location_id, node_type, name, created_at, first_seen_at, last_seen_at)
VALUES (:#locationId, :#nodeType, :#name, :#createdAt, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
