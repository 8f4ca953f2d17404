-- Several replicas (README, "Several replicas"): Spring Integration's JDBC lock table (prefix INT_), used for the
-- leader election of cluster.mode=database and for runs that must not overlap across replicas (HR sync).
-- A row is held while its created_date is younger than cluster.lease.ttl; the holder renews it every heartbeat.
-- client_id is wider than Spring Integration's CHAR(36) so it holds a readable member name (pod name, host-pid):
-- SELECT client_id FROM int_lock shows which replica leads.
CREATE TABLE int_lock (
    lock_key     CHAR(36)     NOT NULL,  -- UUID of the lock's name (cluster.namespace, or a run such as hr-sync-run)
    region       VARCHAR(100) NOT NULL,  -- cluster.namespace: the replicas of one gateway share it
    client_id    VARCHAR(255),           -- member holding the lock
    created_date TIMESTAMP    NOT NULL,  -- last acquisition or renewal (UTC); older than the TTL = free
    CONSTRAINT int_lock_pk PRIMARY KEY (lock_key, region)
);
