-- Pending registrations due for a retry (id only), oldest first, at most :#VisitorBatchSize (an Integer).
-- Params: :#VisitorNow, :#VisitorBatchSize
SELECT id FROM visitor_registration WHERE status = 'PENDING' AND next_attempt_at <= :#VisitorNow
ORDER BY next_attempt_at FETCH FIRST :#VisitorBatchSize ROWS ONLY
