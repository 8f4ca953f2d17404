-- This replica's latest push of one kind, for the silence check of the other replicas (never moved backwards).
-- Params: :#PushHeartbeatAt (timestamp), :#PushKind (access | device-status)
UPDATE push_heartbeat SET last_push_at = :#PushHeartbeatAt WHERE kind = :#PushKind AND last_push_at < :#PushHeartbeatAt
