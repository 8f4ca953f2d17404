-- Cross-source identity of a pass (issue 15; README "Stored once: the dedupe key"). A pass can be learned
-- from a push and from the query API; the two disagree on who (push userId = our thirdUserId, or the
-- platform's own userId) and when (push crossTime may be the report time). access_event keeps what a pass
-- is matched by, and the exact key of each source, so each source's resend or re-read is a duplicate and
-- the other source's copy of the same pass is merged into the row instead of stored twice.
ALTER TABLE access_event ADD COLUMN push_key VARCHAR(64);            -- exact key of the push (NULL: not pushed yet)
ALTER TABLE access_event ADD COLUMN query_key VARCHAR(64);           -- exact key of the query record (NULL: not queried yet)
ALTER TABLE access_event ADD COLUMN record_id VARCHAR(100);          -- the query record's own id (employee, visitor)
ALTER TABLE access_event ADD COLUMN person_id VARCHAR(100);          -- push userId / identity_id; query thirdUserId / visitorId
ALTER TABLE access_event ADD COLUMN platform_person_id VARCHAR(100); -- query userId (the platform's own id)
ALTER TABLE access_event ADD COLUMN photo_id VARCHAR(200);           -- push photoId; query fid
ALTER TABLE access_event ADD COLUMN cross_face_id VARCHAR(200);      -- push crossFaceId; query faceFid
ALTER TABLE access_event ADD COLUMN box_id VARCHAR(100);
ALTER TABLE access_event ADD COLUMN camera_id VARCHAR(100);
ALTER TABLE access_event ADD COLUMN camera_name VARCHAR(200);        -- query nodeName
ALTER TABLE access_event ADD CONSTRAINT access_event_push_key_uk UNIQUE (push_key);
ALTER TABLE access_event ADD CONSTRAINT access_event_query_key_uk UNIQUE (query_key);
CREATE INDEX access_event_person_idx ON access_event (person_id, pass_time);
CREATE INDEX access_event_platform_person_idx ON access_event (platform_person_id, pass_time);
CREATE INDEX access_event_photo_idx ON access_event (photo_id);
CREATE INDEX access_event_cross_face_idx ON access_event (cross_face_id);

-- Lock stripes of the identity match: the store step holds (SELECT ... FOR UPDATE) the stripes of the
-- person or face ids of its events while it looks for the other source's row and inserts, so a push and a
-- query record of the same pass, on any replica, are matched one after the other. Filled by V57.
CREATE TABLE access_identity_lock (
    stripe INT NOT NULL PRIMARY KEY   -- 0 .. 1023: hash of a person or face id (AccessEventKeys.stripe)
);
