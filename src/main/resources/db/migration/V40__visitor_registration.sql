-- Visitor registrations accepted by the gateway (REST or the visitor_request table), one row per
-- visitor, with where it stands on the SophonSight platform. Written only by the visitor routes.
CREATE TABLE visitor_registration (
    id               VARCHAR(36)   PRIMARY KEY,        -- UUID, also the id in GET /api/visitors/{id}
    source           VARCHAR(20)   NOT NULL,           -- REST or TABLE
    source_ref       VARCHAR(100),                     -- id of the visitor_request row for TABLE
    name             VARCHAR(100)  NOT NULL,
    visit_start      TIMESTAMP WITH TIME ZONE NOT NULL,
    visit_end        TIMESTAMP WITH TIME ZONE NOT NULL,
    needs_audit      BOOLEAN       NOT NULL,           -- sent as isNeedAudit
    host_employee_id VARCHAR(100),                     -- kept locally, not sent to the platform
    visit_reason     VARCHAR(500),                     -- kept locally, not sent to the platform
    photo_file       VARCHAR(200),                     -- kept photo in the photo folder until the status is final
    photo_id         VARCHAR(200),                     -- platform's photoId once uploaded (never uploaded twice)
    status           VARCHAR(20)   NOT NULL,           -- PENDING, REGISTERED, REJECTED, FAILED
    status_reason    VARCHAR(2000),                    -- why PENDING / REJECTED / FAILED, in words
    platform_status  INT,                              -- envelope status of the platform's last answer (0 = success)
    platform_message VARCHAR(2000),                    -- the platform's message of a refusal
    attempts         INT           NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP WITH TIME ZONE,         -- PENDING: when the retry route may try again
    deadline_at      TIMESTAMP WITH TIME ZONE NOT NULL,-- PENDING past this becomes FAILED
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    registered_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX visitor_registration_due_idx ON visitor_registration (status, next_attempt_at);
CREATE INDEX visitor_registration_source_idx ON visitor_registration (source, source_ref);
