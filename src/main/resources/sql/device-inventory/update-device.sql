-- Refreshes a listed device (and un-removes one that reappeared); 0 rows updated means it is new.
-- Body = one device row: :#locationId, :#nodeType, :#name, :#createdAt
UPDATE device SET node_type = :#nodeType, name = :#name, created_at = :#createdAt, last_seen_at = CURRENT_TIMESTAMP,
removed_at = NULL WHERE location_id = :#locationId
