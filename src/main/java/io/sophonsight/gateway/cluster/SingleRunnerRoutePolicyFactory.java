package io.sophonsight.gateway.cluster;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.NamedNode;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.ScheduledPollEndpoint;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Makes every scheduled route single-runner without anyone remembering it: when the gateway runs as several
 * replicas ({@code cluster.mode} database or kubernetes), each route whose consumer is a schedule (the
 * components of {@code cluster.scheduled-components}: quartz, timer, scheduler, cron) or a polling consumer
 * (sql, file, ... - any {@link ScheduledPollEndpoint}) gets one shared Camel {@link ClusteredRoutePolicy}: it runs
 * on the leader of {@code cluster.namespace} only and moves to another replica when the leader goes.
 * {@code cluster.include-routes} / {@code cluster.exclude-routes} add or leave out routes by id. Routes fed by
 * requests (platform-http, direct, jms) stay on every replica. A route that does not start on its own
 * ({@code autoStartup: false}) is left alone, since the policy would start it on the leader.
 */
public class SingleRunnerRoutePolicyFactory implements RoutePolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SingleRunnerRoutePolicyFactory.class);

    private final ClusterSettings settings;
    private final ObjectProvider<CamelClusterService> clusterService;
    private final List<String> singleRunnerRoutes = new CopyOnWriteArrayList<>();
    private ClusteredRoutePolicy policy;

    public SingleRunnerRoutePolicyFactory(ClusterSettings settings, ObjectProvider<CamelClusterService> clusterService) {
        this.settings = settings;
        this.clusterService = clusterService;
    }

    @Override
    public synchronized RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        if (!settings.clustered() || !(route instanceof RouteDefinition definition) || !isSingleRunner(camelContext, definition)) {
            return null;
        }
        if (policy == null) {
            try {
                // one policy for every route: one leader of the namespace runs all the schedules. The cluster
                // service (and so the election) starts once Camel has started, see ClusterLeadership; it is only
                // initialised here, because the policy asks it for its view as the first route is created (Camel's
                // Kubernetes service builds its lock configuration in init and failed every route without it)
                CamelClusterService service = clusterService.getObject();
                if (service.getCamelContext() == null) {
                    service.setCamelContext(camelContext);
                }
                ServiceHelper.initService(service);
                policy = ClusteredRoutePolicy.forNamespace(service, settings.namespace());
                policy.setCamelContext(camelContext);
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the clustered route policy of " + settings.namespace(), e);
            }
        }
        if (!singleRunnerRoutes.contains(routeId)) {
            singleRunnerRoutes.add(routeId);
        }
        return policy;
    }

    /**
     * Whether the route runs on one replica only when clustered: the decision, also in mode {@code none} (for the
     * start-up log and the tests).
     */
    public boolean isSingleRunner(CamelContext camelContext, RouteDefinition route) {
        String id = route.getRouteId();
        if (settings.excludeRoutes().contains(id)) {
            return false;
        }
        if (!startsOnItsOwn(camelContext, route)) {
            return false;
        }
        if (settings.includeRoutes().contains(id)) {
            return true;
        }
        String uri = route.getInput().getEndpointUri();
        if (route.getTemplateParameters() != null) { // a route made from a routeTemplate: its parameters first
            for (Map.Entry<String, Object> parameter : route.getTemplateParameters().entrySet()) {
                uri = uri.replace("{{" + parameter.getKey() + "}}", String.valueOf(parameter.getValue()));
            }
        }
        uri = camelContext.resolvePropertyPlaceholders(uri);
        String scheme = uri.substring(0, Math.max(uri.indexOf(':'), 0)).toLowerCase(Locale.ROOT);
        if ("master".equals(scheme)) {
            return false; // the master component elects its own leader
        }
        if (settings.scheduledComponents().contains(scheme)) {
            return true;
        }
        Endpoint endpoint = camelContext.getEndpoint(uri);
        return endpoint instanceof ScheduledPollEndpoint;
    }

    private static boolean startsOnItsOwn(CamelContext camelContext, RouteDefinition route) {
        String autoStartup = route.getAutoStartup();
        return autoStartup == null || !"false".equalsIgnoreCase(camelContext.resolvePropertyPlaceholders(autoStartup).trim());
    }

    /** Ids of the routes given the single-runner policy so far, in the order Camel created them. */
    public List<String> singleRunnerRoutes() {
        return List.copyOf(singleRunnerRoutes);
    }

    /** The shared policy (null until a route got it): its {@code isLeader()} is the leadership the routes follow. */
    public ClusteredRoutePolicy policy() {
        return policy;
    }

    /** Route ids that would be single-runner among {@code routes} (any mode). */
    public Set<String> select(CamelContext camelContext, List<RouteDefinition> routes) {
        return routes.stream().filter(r -> isSingleRunner(camelContext, r)).map(RouteDefinition::getRouteId)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
