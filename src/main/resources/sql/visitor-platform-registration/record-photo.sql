-- The platform's photoId, stored as soon as pic/upload succeeded so a later attempt does not upload again.
-- Params: :#VisitorRegistrationId, :#VisitorPhotoId, :#VisitorNow
UPDATE visitor_registration SET photo_id = :#VisitorPhotoId, updated_at = :#VisitorNow WHERE id = :#VisitorRegistrationId
