-- The watermark of one kind of record (epoch ms; NULL until a first window completed).
-- :#AccessRecordKind = employee | stranger | visitor (header)
SELECT watermark_ms FROM access_record_watermark WHERE kind = :#AccessRecordKind
