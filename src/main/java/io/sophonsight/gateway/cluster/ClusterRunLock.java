package io.sophonsight.gateway.cluster;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.integration.jdbc.lock.LockRepository;
import org.springframework.integration.util.UUIDConverter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One run at a time across every replica, for work that can also start outside the schedules (an operator's
 * {@code POST /api/hr-sync/run} on any replica while the leader's cron fires). A run takes a named lock row in
 * the shared {@code int_lock} table (the same table and time-to-live as the leader election), renews it every
 * heartbeat while it runs, and deletes it when it ends; a replica that dies mid-run stops renewing, so its row
 * expires after the TTL and the next run goes ahead. Not bound to a thread: a run may end on another thread than
 * the one that began it (parallel steps).
 */
public class ClusterRunLock implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRunLock.class);

    private final LockRepository repository;
    private final JdbcTemplate jdbc;
    private final String region;
    private final Duration ttl;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewer;

    public ClusterRunLock(LockRepository repository, DataSource dataSource, String region, Duration ttl, Duration heartbeat) {
        this.repository = repository;
        this.jdbc = new JdbcTemplate(dataSource);
        this.region = region;
        this.ttl = ttl;
        this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cluster-run-lock-renewer");
            thread.setDaemon(true);
            return thread;
        });
        renewer.scheduleWithFixedDelay(this::renewHeld, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes the run named {@code name} for this replica; false when it is going here or on another replica. */
    public boolean tryAcquire(String name) {
        if (!held.add(name)) {
            return false;
        }
        boolean acquired;
        try {
            acquired = repository.acquire(key(name));
        } catch (DataAccessException e) {
            // a concurrent claim from another replica (serialization failure) or the database is away: not ours
            LOG.debug("Run lock '{}' not taken: {}", name, e.getMessage());
            acquired = false;
        }
        if (!acquired) {
            held.remove(name);
        }
        return acquired;
    }

    /** Ends the run named {@code name} here; its row is deleted so the next run need not wait for the TTL. */
    public void release(String name) {
        if (held.remove(name)) {
            try {
                repository.delete(key(name));
            } catch (DataAccessException e) {
                LOG.warn("Run lock '{}' could not be released now; it expires within {}: {}", name, ttl, e.getMessage());
            }
        }
    }

    /** The replica (member id) whose run {@code name} is going now, or null when none is. */
    public String holder(String name) {
        List<String> holders = jdbc.queryForList(
                "SELECT client_id FROM int_lock WHERE region = ? AND lock_key = ? AND created_date >= ?", String.class,
                region, key(name), Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC).minus(ttl)));
        return holders.isEmpty() ? null : holders.get(0).trim();
    }

    private void renewHeld() {
        for (String name : held) {
            try {
                if (!repository.renew(key(name))) {
                    LOG.error("Run lock '{}' was lost (held longer than {} without renewal, e.g. a long GC pause or a"
                            + " database outage): another replica may start the same run", name, ttl);
                }
            } catch (RuntimeException e) {
                LOG.warn("Run lock '{}' could not be renewed: {}", name, e.getMessage());
            }
        }
    }

    private static String key(String name) {
        return UUIDConverter.getUUID(name).toString();
    }

    @Override
    public void destroy() {
        renewer.shutdownNow();
        for (String name : Set.copyOf(held)) {
            release(name);
        }
    }
}
