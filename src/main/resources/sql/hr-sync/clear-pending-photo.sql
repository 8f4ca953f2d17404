-- An earlier upload was given one more chance and was refused too: forgotten, so the next attempt uploads afresh.
-- Parameters: :#HrThirdId (header)
UPDATE sync_state SET pending_photo_hash = NULL, pending_photo_id = NULL WHERE kind = 'PERSON' AND third_id = :#HrThirdId
