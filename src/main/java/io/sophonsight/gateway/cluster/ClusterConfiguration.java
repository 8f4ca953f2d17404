package io.sophonsight.gateway.cluster;

import java.time.Duration;

import javax.sql.DataSource;

import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;

/**
 * Several replicas (README, "Several replicas"): the cluster service of {@code cluster.mode}, the policy factory
 * that makes scheduled routes single-runner, the run lock that keeps on-demand runs exclusive across replicas, and
 * the leadership's log, JMX and info view. Camel picks the {@link CamelClusterService} and the
 * {@link org.apache.camel.spi.RoutePolicyFactory} beans up from the registry.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {

    /**
     * The lock rows in the gateway's own database ({@code int_lock}, Flyway V50): the leader election of mode
     * database and the run locks of every mode. Stopping the gateway deletes this replica's rows, so a graceful
     * stop hands over at once; a killed replica's rows expire after {@code cluster.lease.ttl}.
     */
    @Bean
    public DefaultLockRepository clusterLockRepository(DataSource dataSource, ClusterSettings settings) {
        DefaultLockRepository repository = new DefaultLockRepository(dataSource, settings.memberId());
        repository.setPrefix("INT_");
        repository.setRegion(settings.namespace());
        repository.setTimeToLive((int) settings.leaseTtl().toMillis());
        return repository;
    }

    @Bean
    public ClusterRunLock clusterRunLock(DefaultLockRepository clusterLockRepository, DataSource dataSource,
                                         ClusterSettings settings) {
        return new ClusterRunLock(clusterLockRepository, dataSource, settings.namespace(), settings.leaseTtl(),
                settings.heartbeat());
    }

    /** Mode database: the leader is whoever holds the namespace's lock row. */
    @Bean
    @ConditionalOnProperty(name = "cluster.mode", havingValue = "database")
    public CamelClusterService databaseClusterService(DefaultLockRepository clusterLockRepository, ClusterSettings settings) {
        JdbcLockRegistry registry = new JdbcLockRegistry(clusterLockRepository);
        // followers look for a free lock three times per heartbeat: failover within TTL + heartbeat / 3
        registry.setIdleBetweenTries(settings.heartbeat().dividedBy(3));
        return new DatabaseClusterService(registry, settings.heartbeat(), settings.memberId());
    }

    /**
     * Mode kubernetes: Camel's Kubernetes cluster service on a coordination.k8s.io Lease named
     * {@code leaders-<cluster.namespace>} in the pod's namespace (the ServiceAccount needs get/create/update on
     * leases). The lease lasts {@code cluster.lease.ttl}; the leader renews it every heartbeat and gives its
     * routes up when it could not renew for two thirds of the TTL.
     */
    @Bean
    @ConditionalOnProperty(name = "cluster.mode", havingValue = "kubernetes")
    public CamelClusterService kubernetesClusterService(ClusterSettings settings) {
        KubernetesClusterService service = new KubernetesClusterService();
        service.setId("kubernetes-cluster-service");
        service.setLeaseResourceType(LeaseResourceType.Lease);
        if (!settings.podName().isEmpty()) {
            service.setPodName(settings.podName()); // else Camel reads HOSTNAME, which is the pod name
        }
        if (!settings.kubernetesNamespace().isEmpty()) {
            service.setKubernetesNamespace(settings.kubernetesNamespace());
        }
        Duration ttl = settings.leaseTtl();
        service.setLeaseDurationMillis(ttl.toMillis());
        service.setRenewDeadlineMillis(ttl.multipliedBy(2).dividedBy(3).toMillis());
        service.setRetryPeriodMillis(settings.heartbeat().toMillis());
        return service;
    }

    @Bean
    public SingleRunnerRoutePolicyFactory singleRunnerRoutePolicyFactory(ClusterSettings settings,
                                                                         ObjectProvider<CamelClusterService> clusterService) {
        return new SingleRunnerRoutePolicyFactory(settings, clusterService);
    }

    @Bean
    public ClusterLeadership clusterLeadership(ClusterSettings settings, SingleRunnerRoutePolicyFactory policyFactory,
                                               ObjectProvider<CamelClusterService> clusterService) {
        return new ClusterLeadership(settings, policyFactory, clusterService);
    }
}
