-- The queryable table of canonical access events, written by the fan-out: one row per event,
-- image file paths (relative to the data folder) instead of base64.
CREATE TABLE access_record (
    event_id          BIGINT       NOT NULL PRIMARY KEY REFERENCES access_event (id),
    source_form       VARCHAR(10)  NOT NULL,
    person_id         VARCHAR(100),
    person_name       VARCHAR(200),
    person_type       VARCHAR(20)  NOT NULL,
    raw_person_type   VARCHAR(50),            -- the type as the platform sent it
    score             DECIMAL(9, 6),
    pass_time         TIMESTAMP WITH TIME ZONE NOT NULL,
    box_id            VARCHAR(100) NOT NULL,
    camera_id         VARCHAR(100),
    camera_ip         VARCHAR(64),
    camera_type       INT,                    -- 0 gate, 1 capture camera, 2 IPC static, 3 IPC dynamic, 4 door
    photo_id          VARCHAR(200),           -- captured face photo id
    user_photo_id     VARCHAR(200),
    cross_face_id     VARCHAR(200),
    enrolled_photo_file VARCHAR(300),         -- userPhoto / reg_pic
    scene_photo_file    VARCHAR(300),         -- crossSrcPhoto / spot_pic
    face_photo_file     VARCHAR(300),         -- crossFacePhoto / recognize_face
    recorded_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX access_record_pass_idx ON access_record (pass_time);
CREATE INDEX access_record_person_idx ON access_record (person_id, pass_time);
