-- The latest push of any kind that any replica wrote to push_heartbeat (NULL when none did). No params.
SELECT MAX(last_push_at) FROM push_heartbeat
