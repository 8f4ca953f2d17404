-- The base64 images of a newly stored event, staged until the fan-out wrote them as files.
-- Run by AccessEventWriter in the same transaction as insert-event.sql. Params: :#dedupeKey, :#imagesJson
INSERT INTO access_event_image (dedupe_key, images_json) VALUES (:#dedupeKey, :#imagesJson) ON CONFLICT DO NOTHING
