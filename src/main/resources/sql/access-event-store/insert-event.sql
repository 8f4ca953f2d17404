-- Stores a canonical access event once, with what identifies it; a second copy (same key) is ignored.
-- Run by AccessEventWriter (group commit) with Spring named parameters: :#name is read as :name.
-- Params: :#dedupeKey, :#sourceForm, :#personType, :#passTime, :#eventJson, :#hasImages, :#pushKey, ... :#cameraName
INSERT INTO access_event (dedupe_key, source_form, person_type, pass_time, event_json, has_images, push_key,
query_key, record_id, person_id, platform_person_id, photo_id, cross_face_id, box_id, camera_id, camera_name)
VALUES (:#dedupeKey, :#sourceForm, :#personType, :#passTime, :#eventJson, :#hasImages, :#pushKey, :#queryKey,
:#recordId, :#personId, :#platformPersonId, :#photoId, :#crossFaceId, :#boxId, :#cameraId, :#cameraName)
ON CONFLICT DO NOTHING
