package io.sophonsight.gateway.cluster;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code cluster.*} keys: several replicas, one runner per schedule. {@link ClusterSettings} derives the rest
 * (member id, route lists) and checks what spans keys (heartbeat at most a third of the ttl).
 *
 * @param mode None = one process; database = replicas sharing the gateway's PostgreSQL; kubernetes = replicas electing
 *             through a Lease
 * @param namespace Leadership name the replicas share: the lock region (database) / the Lease leaders-name (kubernetes)
 * @param includeRoutes Route ids run on the leader only besides the detected scheduled/polling ones (comma-separated)
 * @param excludeRoutes Route ids kept on every replica although their consumer is a schedule or a poller
 * @param scheduledComponents Components whose consumers are schedules; polling consumers are detected without this list
 * @param lease The leadership lease
 * @param kubernetes This replica in mode kubernetes
 */
@Validated
@ConfigurationProperties("cluster")
public record ClusterProperties(
        @Pattern(regexp = "(?i)\\s*(none|database|kubernetes)\\s*", message = "must be none, database or kubernetes")
        @DefaultValue("none") String mode,
        @Pattern(regexp = "[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?",
                message = "must be a Kubernetes-style name (lower-case letters, digits, '-' and '.', at most 63 characters)")
        @DefaultValue("sophonsight-gateway") String namespace,
        @DefaultValue("") String includeRoutes,
        @DefaultValue("") String excludeRoutes,
        @DefaultValue("quartz,timer,scheduler,cron") String scheduledComponents,
        @Valid @DefaultValue Lease lease,
        @Valid @DefaultValue Kubernetes kubernetes) {

    /**
     * @param ttl A leader that stops renewing (killed, cut off) is replaced after at most this long; the failover time
     * @param heartbeat How often the leader renews and the others look for a free lease; at most a third of the ttl
     */
    public record Lease(@NotNull @DefaultValue("10s") Duration ttl, @NotNull @DefaultValue("3s") Duration heartbeat) {
    }

    /**
     * @param namespace Namespace holding the Lease: the pod's own, from the downward API (empty = the client's default)
     * @param podName This replica's name in the election, from the downward API (empty = host name and process id)
     */
    public record Kubernetes(@DefaultValue("") String namespace, @DefaultValue("") String podName) {
    }
}
