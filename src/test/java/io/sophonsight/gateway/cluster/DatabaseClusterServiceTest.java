package io.sophonsight.gateway.cluster;

import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import io.sophonsight.gateway.testkit.TestDatabase;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.jdbc.lock.LockRepository;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database leader election behind {@code cluster.mode=database}: two replicas (two cluster services with their
 * own lock repositories) on one database migrated by the gateway's own Flyway scripts: H2, or with {@code -Ppostgres}
 * a PostgreSQL schema of its own ({@link TestDatabase}), the database of production's replicas.
 */
class DatabaseClusterServiceTest {

    private static final Duration TTL = Duration.ofSeconds(2);
    private static final Duration HEARTBEAT = Duration.ofMillis(300);

    private TestDatabase schema;
    private DataSource database;
    private Replica a;
    private Replica b;

    @BeforeEach
    void oneDatabase() {
        schema = TestDatabase.fresh("cluster").migrated();
        database = schema.dataSource();
    }

    @AfterEach
    void stopReplicas() {
        for (Replica replica : new Replica[] {a, b}) {
            if (replica != null) {
                replica.stop();
            }
        }
        schema.drop();
    }

    @Test
    void exactlyOneOfTwoReplicasLeadsAndStaysLeader() {
        // Given two replicas electing a leader of the same namespace
        a = new Replica("replica-a");
        b = new Replica("replica-b");

        // When they have had time to elect
        // Then exactly one leads, and it stays so over several lease periods (renewal works)
        await("one leader").atMost(Duration.ofSeconds(10)).until(() -> a.leads() ^ b.leads());
        Replica leader = a.leads() ? a : b;
        await("leadership stable").during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(3))
                .until(() -> leader.leads() && !(leader == a ? b : a).leads());
        // and the lock row names the leader, for operators
        assertThat(new org.springframework.jdbc.core.JdbcTemplate(database)
                .queryForObject("SELECT client_id FROM int_lock WHERE region = 'gateway-test'", String.class).trim())
                .isEqualTo(leader.name);
    }

    @Test
    void whenTheLeaderStopsTheOtherReplicaLeadsWithinTheLeaseTtl() {
        // Given two replicas, one of them leading
        a = new Replica("replica-a");
        b = new Replica("replica-b");
        await("one leader").atMost(Duration.ofSeconds(10)).until(() -> a.leads() ^ b.leads());
        Replica leader = a.leads() ? a : b;
        Replica follower = leader == a ? b : a;

        // When the leader's cluster service stops
        Instant stopped = Instant.now();
        leader.stop();

        // Then the follower leads within the lease TTL
        await("follower takes over").atMost(TTL).until(follower::leads);
        System.out.printf("database leader election: follower took over %d ms after the leader stopped%n",
                Duration.between(stopped, Instant.now()).toMillis());
    }

    @Test
    void whenTheLeaderStopsRenewingItsLeaseExpiresAndTheOtherReplicaLeads() {
        // Given replica a leading alone
        a = new Replica("replica-a");
        await("a leads").atMost(Duration.ofSeconds(10)).until(a::leads);

        // When a stops renewing as if its process were gone (its row stays: no graceful release)
        Instant frozen = Instant.now();
        a.freezeWithoutReleasing();
        b = new Replica("replica-b");

        // Then b leads once the row is older than the TTL, not before
        await("b takes over").atMost(TTL.plus(Duration.ofSeconds(2))).until(b::leads);
        Duration takeover = Duration.between(frozen, Instant.now());
        // (its last renewal was at most one heartbeat before it froze)
        assertThat(takeover).isGreaterThanOrEqualTo(TTL.minus(HEARTBEAT).minus(Duration.ofMillis(100)));
        System.out.printf("database leader election: expired lease taken over after %d ms (TTL %d ms)%n",
                takeover.toMillis(), TTL.toMillis());
    }

    /** One replica: its own lock repository (member id) and cluster service over the shared database. */
    private final class Replica {
        final String name;
        final DefaultLockRepository repository;
        final DatabaseClusterService service;
        final CamelClusterView view;
        private final DefaultCamelContext camel = new DefaultCamelContext();
        private volatile boolean frozen;

        Replica(String name) {
            this.name = name;
            repository = new DefaultLockRepository(database, name);
            repository.setRegion("gateway-test");
            repository.setTimeToLive((int) TTL.toMillis());
            repository.setTransactionManager(new DataSourceTransactionManager(database));
            repository.afterPropertiesSet();
            repository.afterSingletonsInstantiated();
            repository.start();
            JdbcLockRegistry registry = new JdbcLockRegistry(new LockRepository() {
                // the real repository, except that a frozen replica leaves its row behind like a killed process
                @Override
                public boolean isAcquired(String lock) {
                    return repository.isAcquired(lock);
                }

                @Override
                public boolean delete(String lock) {
                    return !frozen && repository.delete(lock);
                }

                @Override
                public void deleteExpired() {
                    repository.deleteExpired();
                }

                @Override
                public boolean acquire(String lock) {
                    return !frozen && repository.acquire(lock);
                }

                @Override
                public boolean renew(String lock) {
                    return !frozen && repository.renew(lock);
                }

                @Override
                public void close() {
                    repository.close();
                }
            });
            registry.setIdleBetweenTries(HEARTBEAT.dividedBy(3));
            service = new DatabaseClusterService(registry, HEARTBEAT, name);
            service.setCamelContext(camel);
            try {
                camel.start();
                service.start();
                view = service.getView("gateway-test");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        boolean leads() {
            return view.getLocalMember().isLeader();
        }

        /** Stops electing without deleting the lock row: what a killed process leaves behind. */
        void freezeWithoutReleasing() {
            frozen = true;
            stop();
        }

        void stop() {
            service.stop();
            camel.stop();
        }
    }
}
