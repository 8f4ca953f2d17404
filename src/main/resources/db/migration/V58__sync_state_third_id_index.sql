-- The HR sync plans people in batches and looks up each batch's sync_state rows with
-- `kind = ? AND third_id IN (...)`. H2 uses an IN list only with an index whose FIRST column is the IN column:
-- with the primary key (kind, third_id) alone it read every PERSON row per batch and compared it with every id
-- of the batch, so a no-change reconciliation of 100,000 people took 123 s instead of seconds (quadratic in
-- the size of HR). This index serves the IN list on H2 and PostgreSQL alike (also forget.sql's deletes).
CREATE INDEX sync_state_third_id ON sync_state (third_id, kind);
