-- The queryable access_record of a fanned-out event; a retried fan-out does not write it twice (ON CONFLICT).
-- Params: the event's fields :#eventId, :#sourceForm, :#personId, ... :#facePhotoFile (body = the event Map)
INSERT INTO access_record (event_id, source_form, person_id, person_name, person_type, raw_person_type,
score, pass_time, box_id, camera_id, camera_ip, camera_type, camera_name, photo_id, user_photo_id, cross_face_id,
enrolled_photo_file, scene_photo_file, face_photo_file)
VALUES (:#eventId, :#sourceForm, :#personId, :#personName, :#personType, :#rawPersonType, :#score,
:#passTimestamp, :#boxId, :#cameraId, :#cameraIp, :#cameraType, :#cameraName, :#photoId, :#userPhotoId, :#crossFaceId,
:#enrolledPhotoFile, :#scenePhotoFile, :#facePhotoFile)
ON CONFLICT DO NOTHING
