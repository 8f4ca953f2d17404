-- The staged base64 images of one access event (one row; access_event_image.images_json).
-- Params: :#dedupeKey
SELECT images_json FROM access_event_image WHERE dedupe_key = :#dedupeKey
