package io.sophonsight.gateway.cluster;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;

/**
 * What operators ask about several replicas: which mode, which routes are single-runner, and does this replica
 * lead. One INFO line at start-up lists the single-runner routes, one line per leadership change; the same facts
 * are in {@code GET /actuator/info} ({@code cluster}) and the JMX bean {@code io.sophonsight.gateway:type=Cluster}.
 */
@ManagedResource(objectName = "io.sophonsight.gateway:type=Cluster",
        description = "Several replicas: which replica runs the scheduled routes")
public class ClusterLeadership implements CamelContextConfiguration, InfoContributor, CamelClusterEventListener.Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLeadership.class);

    private final ClusterSettings settings;
    private final String memberId;
    private final SingleRunnerRoutePolicyFactory policyFactory;
    private final ObjectProvider<CamelClusterService> clusterService;
    private volatile boolean leader;
    private volatile Instant since = Instant.now();
    private CamelClusterView view;

    public ClusterLeadership(ClusterSettings settings, SingleRunnerRoutePolicyFactory policyFactory,
                             ObjectProvider<CamelClusterService> clusterService) {
        this.settings = settings;
        this.memberId = settings.memberId();
        this.policyFactory = policyFactory;
        this.clusterService = clusterService;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // nothing before: the routes and the cluster service are set up by Camel
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        if (!settings.clustered()) {
            LOG.info("Cluster mode none: this process runs every route (set GATEWAY_CLUSTER_MODE=database or kubernetes"
                    + " for several replicas)");
            return;
        }
        LOG.info("Cluster mode {}, namespace '{}', member '{}': {} single-runner route(s) run on the leader only: {};"
                        + " every other route runs on every replica", settings.mode().name().toLowerCase(), settings.namespace(),
                memberId, policyFactory.singleRunnerRoutes().size(), policyFactory.singleRunnerRoutes());
        try {
            // The election starts only now, with every route created and Camel started: leadership granted while
            // Camel is still building its routes would be lost by the clustered route policy (not started yet).
            // Camel stops the service with the context, which releases the lock or lease.
            CamelClusterService service = clusterService.getObject();
            if (!camelContext.hasService(service)) {
                camelContext.addService(service, true, true);
            }
            ServiceHelper.startService(service);
            view = service.getView(settings.namespace());
            view.addEventListener(this);
            leadershipChanged(view, view.getLeader().orElse(null));
        } catch (Exception e) {
            throw new IllegalStateException("cannot watch the leadership of " + settings.namespace(), e);
        }
    }

    @Override
    public void leadershipChanged(CamelClusterView changed, CamelClusterMember newLeader) {
        boolean now = changed.getLocalMember().isLeader();
        if (now != leader) {
            leader = now;
            since = Instant.now();
            if (now) {
                LOG.info("Cluster leadership of '{}' taken by this replica ({}): starting the single-runner routes {}",
                        settings.namespace(), memberId, policyFactory.singleRunnerRoutes());
            } else {
                LOG.info("Cluster leadership of '{}' left by this replica ({}): the single-runner routes stop here and run"
                        + " on the new leader", settings.namespace(), memberId);
            }
        }
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("cluster", state());
    }

    /** The state shown in {@code /actuator/info}. */
    public Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("mode", getMode());
        state.put("namespace", getNamespace());
        state.put("member", getMember());
        state.put("leader", isLeader());
        state.put("since", getSince());
        state.put("singleRunnerRoutes", getSingleRunnerRoutes());
        return state;
    }

    @ManagedAttribute(description = "Leader election mode: none (one process), database (lock row) or kubernetes (Lease)")
    public String getMode() {
        return settings.mode().name().toLowerCase();
    }

    @ManagedAttribute(description = "Leadership name shared by the replicas (Lease / lock region)")
    public String getNamespace() {
        return settings.namespace();
    }

    @ManagedAttribute(description = "This replica's name in the election")
    public String getMember() {
        return memberId;
    }

    @ManagedAttribute(description = "True when this replica runs the single-runner routes (always true in mode none)")
    public boolean isLeader() {
        return !settings.clustered() || leader;
    }

    @ManagedAttribute(description = "Since when this replica leads or follows (ISO-8601)")
    public String getSince() {
        return since.toString();
    }

    @ManagedAttribute(description = "Route ids that run on the leader only")
    public List<String> getSingleRunnerRoutes() {
        return policyFactory.singleRunnerRoutes();
    }
}
