-- Query mode (access-record pollers): how far each kind of record has been read from the platform.
-- One row per kind; watermark_ms NULL = never completed (the first run looks back
-- query.records.first-lookback). The watermark moves only when every page of a window is stored.
CREATE TABLE access_record_watermark (
    kind              VARCHAR(20)  NOT NULL PRIMARY KEY,  -- employee, stranger, visitor
    watermark_ms      BIGINT,                             -- end of the last completed window (epoch ms)
    last_completed_at TIMESTAMP WITH TIME ZONE,
    last_fetched      INT,                                -- records read in the last completed window
    last_stored       INT,                                -- of which new (the others were duplicates)
    last_failed_at    TIMESTAMP WITH TIME ZONE,
    last_failure      VARCHAR(2000)                       -- why the last failed run failed (window repeated)
);
INSERT INTO access_record_watermark (kind) VALUES ('employee');
INSERT INTO access_record_watermark (kind) VALUES ('stranger');
INSERT INTO access_record_watermark (kind) VALUES ('visitor');

-- Records learned by query name no AI box (only the camera, by name): box_id becomes optional,
-- and the camera name (query nodeName) gets a column.
ALTER TABLE access_record ALTER COLUMN box_id DROP NOT NULL;
ALTER TABLE access_record ADD COLUMN camera_name VARCHAR(200);
