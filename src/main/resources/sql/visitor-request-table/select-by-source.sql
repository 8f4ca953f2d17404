-- The id of the registration already made from a request row (none: not yet), so a row whose marking failed is never
-- registered twice. Params: :#VisitorSource, :#VisitorSourceRef
SELECT id FROM visitor_registration WHERE source = :#VisitorSource AND source_ref = :#VisitorSourceRef
ORDER BY created_at DESC FETCH FIRST 1 ROWS ONLY
