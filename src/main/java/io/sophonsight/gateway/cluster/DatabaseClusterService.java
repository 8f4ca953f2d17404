package io.sophonsight.gateway.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Camel's cluster SPI over Spring Integration's database leader election, for replicas that share a database
 * but no Kubernetes: one view per namespace runs a {@link LockRegistryLeaderInitiator} on the lock of that
 * namespace (a row of {@code int_lock}, see Flyway V50); whoever holds the lock is the leader. The leader renews
 * the row every heartbeat; a leader that dies (even {@code kill -9}) stops renewing, and its row counts as free
 * once the lock's time-to-live has passed, so another replica takes over within about one TTL. Camel's
 * {@code ClusteredRoutePolicy} starts and stops the single-runner routes on the leadership events.
 */
public final class DatabaseClusterService extends AbstractCamelClusterService<DatabaseClusterService.View> {

    private final LockRegistry locks;
    private final Duration heartbeat;
    private final String memberId;

    /**
     * @param locks     the JDBC lock registry over the shared database (its TTL decides the failover time)
     * @param heartbeat how often the leader renews its lock and the others look for a free one
     * @param memberId  the name of this replica in logs and {@code /actuator/info} (pod name or host and pid)
     */
    public DatabaseClusterService(LockRegistry locks, Duration heartbeat, String memberId) {
        super("database-cluster-service");
        this.locks = locks;
        this.heartbeat = heartbeat;
        this.memberId = memberId;
    }

    @Override
    protected View createView(String namespace) {
        return new View(this, namespace);
    }

    /** The leadership of one namespace, as seen from this replica. */
    public final class View extends AbstractCamelClusterView {

        private final Member local = new Member();
        private volatile boolean leader;
        private LockRegistryLeaderInitiator initiator;

        View(DatabaseClusterService service, String namespace) {
            super(service, namespace);
        }

        @Override
        protected void doStart() {
            initiator = new LockRegistryLeaderInitiator(locks, new DefaultCandidate(memberId, getNamespace()) {
                @Override
                public void onGranted(Context context) {
                    changed(true);
                }

                @Override
                public void onRevoked(Context context) {
                    changed(false);
                }
            });
            initiator.setHeartBeatMillis(heartbeat.toMillis());
            SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("cluster-" + getNamespace() + "-");
            executor.setDaemon(true);
            initiator.setTaskExecutor(executor);
            initiator.start();
        }

        @Override
        protected void doStop() {
            if (initiator != null) {
                // the election thread releases the lock row and reports the revocation as it ends
                initiator.stop();
                initiator = null;
            }
        }

        private void changed(boolean nowLeader) {
            if (leader != nowLeader) {
                leader = nowLeader;
                fireLeadershipChangedEvent(nowLeader ? Optional.of(local) : Optional.empty());
            }
        }

        /** This replica when it leads; empty otherwise (the lock row does not say which replica holds it). */
        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leader ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local);
        }

        private final class Member implements CamelClusterMember {
            @Override
            public boolean isLeader() {
                return leader;
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return memberId;
            }
        }
    }
}
