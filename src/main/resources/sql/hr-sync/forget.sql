-- The platform deleted these ids (or they never reached it and HR no longer lists them): the gateway forgets them.
-- Parameters: :#HrKind (ORG or PERSON), :#HrThirdIds (a list, at most 500 ids) (headers)
DELETE FROM sync_state WHERE kind = :#HrKind AND third_id IN (:#in:HrThirdIds)
