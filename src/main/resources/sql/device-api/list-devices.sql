-- The device listing of GET devices.api.path, removed devices included (removedAt set). No parameters.
SELECT location_id AS "locationId", node_type AS "nodeType", name AS "name", created_at AS "createdAt",
first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt", removed_at AS "removedAt" FROM device ORDER BY location_id
