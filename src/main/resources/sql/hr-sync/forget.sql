-- The platform deleted these ids (or they never reached it and HR no longer lists them): the gateway forgets them.
-- Parameters: :#HrKind (ORG or PERSON), :#HrThirdIds (a list, at most 500 ids) (headers)
-- The ids are found by the index that starts with third_id (V58); `COALESCE(kind, '')` keeps H2 from choosing the
-- primary key (kind, third_id) for `kind = ...` and comparing every row of the kind with every id of the list.
DELETE FROM sync_state WHERE third_id IN (:#in:HrThirdIds) AND COALESCE(kind, '') = :#HrKind
