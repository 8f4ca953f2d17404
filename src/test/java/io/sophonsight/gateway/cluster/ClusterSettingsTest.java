package io.sophonsight.gateway.cluster;

import java.time.Duration;

import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code cluster:} settings: bad values stop the start with a reason; kubernetes mode elects through a Lease. */
class ClusterSettingsTest {

    private static ClusterSettings settings(String mode, String namespace, Duration ttl, Duration heartbeat, String podName) {
        return new ClusterSettings(mode, namespace, "", "", "quartz,timer,scheduler,cron", ttl, heartbeat, "gateways", podName);
    }

    @Test
    void kubernetesModeElectsThroughALeaseWithTheConfiguredTimings() {
        // Given mode kubernetes with the default TTL and heartbeat, in pod gateway-0 of namespace gateways
        ClusterSettings settings = settings("Kubernetes", "sophonsight-gateway", Duration.ofSeconds(10), Duration.ofSeconds(3),
                "gateway-0");

        // When the cluster service is built (nothing connects before Camel starts it)
        KubernetesClusterService service = (KubernetesClusterService) new ClusterConfiguration().kubernetesClusterService(settings);

        // Then it uses a coordination.k8s.io Lease, held 10 s, renewed every 3 s, given up after 2/3 of the TTL
        assertThat(settings.mode()).isEqualTo(ClusterSettings.Mode.KUBERNETES);
        assertThat(service.getLeaseResourceType()).isEqualTo(LeaseResourceType.Lease);
        assertThat(service.getLeaseDurationMillis()).isEqualTo(10_000);
        assertThat(service.getRenewDeadlineMillis()).isEqualTo(6_666);
        assertThat(service.getRetryPeriodMillis()).isEqualTo(3_000);
        assertThat(service.getPodName()).isEqualTo("gateway-0");
        assertThat(service.getKubernetesNamespace()).isEqualTo("gateways");
        assertThat(settings.memberId()).isEqualTo("gateway-0");
    }

    @Test
    void withoutAPodNameTheMemberIsHostAndProcess() {
        ClusterSettings settings = settings("database", "sophonsight-gateway", Duration.ofSeconds(10), Duration.ofSeconds(3), "");
        assertThat(settings.memberId()).endsWith("-" + ProcessHandle.current().pid());
        assertThat(settings.clustered()).isTrue();
    }

    @Test
    void aHeartbeatTooSlowForTheTtlStopsTheStartWithAReason() {
        assertThatThrownBy(() -> settings("database", "sophonsight-gateway", Duration.ofSeconds(10), Duration.ofSeconds(5), ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster.lease.heartbeat (PT5S) must be positive and at most a third of cluster.lease.ttl (PT10S)");
    }

    @Test
    void anUnknownModeOrABadNamespaceStopsTheStartWithAReason() {
        assertThatThrownBy(() -> settings("quartz-jdbc", "sophonsight-gateway", Duration.ofSeconds(10), Duration.ofSeconds(3), ""))
                .hasMessageContaining("GATEWAY_CLUSTER_MODE").hasMessageContaining("none, database or kubernetes");
        assertThatThrownBy(() -> settings("database", "Sophonsight Gateway", Duration.ofSeconds(10), Duration.ofSeconds(3), ""))
                .hasMessageContaining("GATEWAY_CLUSTER_NAMESPACE");
    }
}
