-- Staged base64 images no longer needed: the fan-out wrote them as files.
-- Params: :#dedupeKey
DELETE FROM access_event_image WHERE dedupe_key = :#dedupeKey
