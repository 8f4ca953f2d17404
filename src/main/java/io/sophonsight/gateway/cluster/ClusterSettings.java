package io.sophonsight.gateway.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The {@code cluster:} section of {@code application.yaml}: whether several replicas share the work, by which
 * mechanism, and how fast a dead leader is replaced. Checked once at start-up, so a bad value stops the gateway
 * with a clear message instead of running every schedule twice.
 */
@Component("clusterSettings")
public class ClusterSettings {

    /** How the replicas agree on the one that runs the schedules. */
    public enum Mode {
        /** One process: nothing is clustered (embedded H2 default). */
        NONE,
        /** Replicas sharing the gateway's PostgreSQL: a lock row (Spring Integration JDBC lock) names the leader. */
        DATABASE,
        /** Replicas on Kubernetes: a coordination.k8s.io Lease names the leader (Camel's Kubernetes cluster service). */
        KUBERNETES
    }

    private final Mode mode;
    private final String namespace;
    private final Set<String> includeRoutes;
    private final Set<String> excludeRoutes;
    private final Set<String> scheduledComponents;
    private final Duration leaseTtl;
    private final Duration heartbeat;
    private final String kubernetesNamespace;
    private final String podName;
    private final String memberId;

    @Autowired
    public ClusterSettings(ClusterProperties cluster) {
        this(cluster.mode(), cluster.namespace(), cluster.includeRoutes(), cluster.excludeRoutes(),
                cluster.scheduledComponents(), cluster.lease().ttl(), cluster.lease().heartbeat(),
                cluster.kubernetes().namespace(), cluster.kubernetes().podName());
    }

    public ClusterSettings(String mode, String namespace, String includeRoutes, String excludeRoutes,
                           String scheduledComponents, Duration leaseTtl, Duration heartbeat, String kubernetesNamespace,
                           String podName) {
        this.mode = parseMode(mode);
        if (namespace == null || !namespace.matches("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException("cluster.namespace (GATEWAY_CLUSTER_NAMESPACE) must be a Kubernetes-style name"
                    + " (lower-case letters, digits, '-' and '.', at most 63 characters), not '" + namespace + "'");
        }
        if (heartbeat.isZero() || heartbeat.isNegative() || heartbeat.multipliedBy(3).compareTo(leaseTtl) > 0) {
            throw new IllegalArgumentException("cluster.lease.heartbeat (" + heartbeat + ") must be positive and at most a third of"
                    + " cluster.lease.ttl (" + leaseTtl + "), so a live leader renews its lease before it expires");
        }
        this.namespace = namespace;
        this.includeRoutes = list(includeRoutes);
        this.excludeRoutes = list(excludeRoutes);
        this.scheduledComponents = list(scheduledComponents);
        this.leaseTtl = leaseTtl;
        this.heartbeat = heartbeat;
        this.kubernetesNamespace = kubernetesNamespace == null ? "" : kubernetesNamespace.trim();
        this.podName = podName == null ? "" : podName.trim();
        this.memberId = this.podName.isEmpty() ? hostName() + "-" + ProcessHandle.current().pid() : this.podName;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static Mode parseMode(String mode) {
        try {
            return Mode.valueOf((mode == null || mode.isBlank() ? "none" : mode.trim()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster.mode (GATEWAY_CLUSTER_MODE) must be none, database or kubernetes, not '"
                    + mode + "'", e);
        }
    }

    private static Set<String> list(String value) {
        return value == null ? Set.of() : Arrays.stream(value.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    public Mode mode() {
        return mode;
    }

    public boolean clustered() {
        return mode != Mode.NONE;
    }

    public String namespace() {
        return namespace;
    }

    public Set<String> includeRoutes() {
        return includeRoutes;
    }

    public Set<String> excludeRoutes() {
        return excludeRoutes;
    }

    public Set<String> scheduledComponents() {
        return scheduledComponents;
    }

    public Duration leaseTtl() {
        return leaseTtl;
    }

    public Duration heartbeat() {
        return heartbeat;
    }

    public String kubernetesNamespace() {
        return kubernetesNamespace;
    }

    public String podName() {
        return podName;
    }

    /** This replica's name in the election and in the lock rows: the pod name on Kubernetes, else host and pid. */
    public String memberId() {
        return memberId;
    }
}
