package io.sophonsight.gateway.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.sophonsight.gateway.testkit.GatewayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway processes ({@code java -jar}) in {@code GATEWAY_CLUSTER_MODE=kubernetes} against a Kubernetes API
 * (fabric8's mock server in CRUD mode: Leases and Pods are stored and served as a real API server does): one of
 * them holds the Lease and runs the single-runner routes, the other runs none of them; when the leader stops, the
 * other takes the Lease and the schedules within the documented failover time (lease TTL + heartbeat once the old
 * pod has left the API: Camel's election trusts the list of running pods, not the Lease's renew time). Every
 * request the two made to the API is recorded, and the Role of {@code k8s/base/serviceaccount.yaml} grants exactly
 * those verbs on exactly those resources: nothing the election needs is missing, nothing more is allowed.
 */
class KubernetesLeaderElectionIT {

    private static final String NAMESPACE = "gateway-it";
    private static final String CLUSTER_NAME = "sophonsight-gateway";
    private static final String LEASE = "leaders-" + CLUSTER_NAME;
    private static final Duration LEASE_TTL = Duration.ofSeconds(10);
    private static final Duration HEARTBEAT = Duration.ofSeconds(3);
    /** Camel spreads its retries by a jitter factor of 1.2 (KubernetesClusterService default). */
    private static final double JITTER = 1.2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern API_PATH = Pattern.compile(
            "^/(?:api/v1|apis/([^/]+)/[^/]+)/namespaces/([^/]+)/([^/?]+)(?:/([^/?]+))?(?:\\?(.*))?$");

    /** RBAC verbs on one named object, which resourceNames can restrict. */
    private static final Set<String> NAMED_VERBS = Set.of("get", "update", "patch", "delete");

    /** Header of the test's own API requests. */
    private static final String TEST_CALLER = "X-Test-Caller";

    private static KubernetesMockServer api;

    @BeforeAll
    static void startKubernetesApi() {
        api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        api.init();
        // the pods of the two replicas as the API shows them once the kubelet runs them: Camel counts only listed,
        // running pods as members, and only a member may lead
        try (KubernetesClient client = testClient()) {
            for (String pod : List.of("gateway-a", "gateway-b")) {
                client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                        .withNewMetadata().withName(pod).withNamespace(NAMESPACE)
                        .addToLabels("app.kubernetes.io/name", "sophonsight-gateway").endMetadata()
                        .withNewSpec().addNewContainer().withName("gateway").withImage("sophonsight-gateway").endContainer().endSpec()
                        .withNewStatus().withPhase("Running")
                        .addNewCondition().withType("Ready").withStatus("True").endCondition()
                        .addNewContainerStatus().withName("gateway").withReady(true)
                        .withNewState().withNewRunning().endRunning().endState().endContainerStatus()
                        .endStatus().build()).create();
            }
        }
    }

    @AfterAll
    static void stopKubernetesApi() {
        if (api != null) {
            api.destroy();
        }
    }

    @Test
    void oneReplicaHoldsTheLeaseAndRunsTheSchedulesAndTheOtherTakesOverWithinTheFailoverTime() throws Exception {
        // Given two replicas in Kubernetes mode on the same API; a starts first, so it leads
        GatewayProcess a = replica("gateway-a").start();
        GatewayProcess b = replica("gateway-b");
        try (a; b) {
            a.awaitReady(Duration.ofMinutes(5));
            b.start().awaitReady(Duration.ofMinutes(5));
            await("a leads, b follows").atMost(LEASE_TTL.multipliedBy(2)).pollInterval(Duration.ofMillis(250))
                    .until(() -> leads(a) && !leads(b));

            // Then the Lease names a, and only a runs the single-runner routes (b has exactly those stopped)
            assertThat(holder()).as("holder of Lease " + LEASE).isEqualTo("gateway-a");
            int singleRunner = cluster(a).path("singleRunnerRoutes").size();
            assertThat(singleRunner).as("single-runner routes").isGreaterThan(5);
            await("b has its single-runner routes stopped").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> runningRoutes(a) - runningRoutes(b) == singleRunner);

            // When the leader stops (SIGTERM, as Kubernetes stops a pod) and its pod leaves the API once its container
            // has exited (Camel's election counts running pods only: a listed, running leader keeps its lease)
            Instant stopping = Instant.now();
            a.stop();
            try (KubernetesClient client = testClient()) {
                client.pods().inNamespace(NAMESPACE).withName("gateway-a").delete();
            }
            Instant gone = Instant.now();

            // Then b takes the Lease and the schedules within one heartbeat (Camel's retry, with its jitter) plus the
            // lease TTL, which Camel waits before a new leader acts, so the old one has surely stopped
            Duration documented = LEASE_TTL.plus(Duration.ofMillis((long) (HEARTBEAT.toMillis() * JITTER)));
            await("b leads").atMost(documented.plusSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> leads(b));
            Duration failover = Duration.between(gone, Instant.now());
            assertThat(holder()).as("holder of Lease " + LEASE + " after the failover").isEqualTo("gateway-b");
            await("b runs the single-runner routes").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> runningRoutes(b) >= singleRunner);
            System.out.printf("Kubernetes Lease failover: a stopped in %d ms; b led %d ms after a's pod left (documented: %d ms)%n",
                    Duration.between(stopping, gone).toMillis(), failover.toMillis(), documented.toMillis());
            assertThat(failover).as("failover time after the old pod is gone").isLessThanOrEqualTo(documented.plusSeconds(2));
        }

        // And the Role of k8s/base grants exactly what the two replicas asked the API for
        Set<String> used = usedPermissions();
        assertThat(used).as("API calls of the election").contains("coordination.k8s.io/leases:create",
                "coordination.k8s.io/leases/" + LEASE + ":get", "coordination.k8s.io/leases/" + LEASE + ":update");
        assertThat(granted()).as("the Role in k8s/base/serviceaccount.yaml (resource[/name]:verb)").isEqualTo(used);
    }

    private static GatewayProcess replica(String pod) {
        return GatewayProcess.gateway(pod)
                .env("GATEWAY_CLUSTER_MODE", "kubernetes")
                .env("GATEWAY_CLUSTER_NAMESPACE", CLUSTER_NAME)
                .env("GATEWAY_CLUSTER_LEASE_TTL", LEASE_TTL.toSeconds() + "s")
                .env("GATEWAY_CLUSTER_HEARTBEAT", HEARTBEAT.toSeconds() + "s")
                // the downward API of k8s/base/deployment.yaml
                .env("KUBERNETES_NAMESPACE", NAMESPACE)
                .env("POD_NAME", pod)
                // the fabric8 client's own settings: this API server, no kubeconfig or service-account token of the machine
                .env("KUBERNETES_MASTER", api.url("/"))
                .env("KUBERNETES_AUTH_TRYKUBECONFIG", "false")
                .env("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false")
                .env("KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT", "0")
                .env("SIMULATOR_PUSH_INTERVAL", "0s");
    }

    private static boolean leads(GatewayProcess replica) throws Exception {
        return cluster(replica).path("leader").asBoolean(false);
    }

    private static JsonNode cluster(GatewayProcess replica) throws Exception {
        return JSON.readTree(replica.management("/actuator/info").body()).path("cluster");
    }

    private static int runningRoutes(GatewayProcess replica) throws Exception {
        for (String line : replica.management("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith("camel_routes_running_routes")) {
                return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no camel_routes_running_routes in the scrape of " + replica.baseUrl());
    }

    private static String holder() {
        try (KubernetesClient client = testClient()) {
            Lease lease = client.leases().inNamespace(NAMESPACE).withName(LEASE).get();
            assertThat(lease).as("Lease " + LEASE).isNotNull();
            return lease.getSpec().getHolderIdentity();
        }
    }

    /** A client of the test itself: its requests carry {@link #TEST_CALLER}, so they never count as the gateways'. */
    private static KubernetesClient testClient() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(api.url("/")).withTrustCerts(true)
                .withCustomHeaders(Map.of(TEST_CALLER, "true")).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The gateways' requests made since the last drain, as RBAC sees them: {@code group/resource[/name]:verb}. */
    private static Set<String> usedPermissions() throws InterruptedException {
        Set<String> used = new TreeSet<>();
        RecordedRequest request;
        while ((request = api.takeRequest(1, TimeUnit.SECONDS)) != null) {
            if (request.getHeader(TEST_CALLER) != null) {
                continue; // the test's own set-up and checks
            }
            Matcher path = API_PATH.matcher(request.getPath());
            assertThat(path.matches()).as("an API path of the namespace: " + request.getPath()).isTrue();
            assertThat(path.group(2)).as("namespace of " + request.getPath()).isEqualTo(NAMESPACE);
            String group = path.group(1) == null ? "" : path.group(1);
            String name = path.group(4);
            boolean watch = path.group(5) != null && path.group(5).contains("watch=true");
            String verb = switch (request.getMethod()) {
                case "GET" -> watch ? "watch" : name == null ? "list" : "get";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> name == null ? "deletecollection" : "delete";
                default -> request.getMethod();
            };
            // create and list cannot be limited to a name in RBAC; the others are checked per name
            boolean named = name != null && NAMED_VERBS.contains(verb);
            used.add(group + "/" + path.group(3) + (named ? "/" + name : "") + ":" + verb);
        }
        return used;
    }

    /** What the Role of k8s/base grants, in the form of {@link #usedPermissions()}: per resource name where it names some. */
    @SuppressWarnings("unchecked")
    private static Set<String> granted() throws Exception {
        Set<String> granted = new TreeSet<>();
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        for (Object doc : yaml.loadAll(java.nio.file.Files.readString(Path.of("k8s", "base", "serviceaccount.yaml")))) {
            Map<String, Object> object = (Map<String, Object>) doc;
            if (object == null || !"Role".equals(object.get("kind"))) {
                continue;
            }
            for (Map<String, Object> rule : (List<Map<String, Object>>) object.get("rules")) {
                List<String> names = (List<String>) rule.getOrDefault("resourceNames", List.of());
                for (String group : (List<String>) rule.get("apiGroups")) {
                    for (String resource : (List<String>) rule.get("resources")) {
                        for (String verb : (List<String>) rule.get("verbs")) {
                            if (names.isEmpty()) {
                                // a verb on named objects without resourceNames: any object of that resource ("*")
                                granted.add(group + "/" + resource + (NAMED_VERBS.contains(verb) ? "/*" : "") + ":" + verb);
                            } else {
                                names.forEach(name -> granted.add(group + "/" + resource + "/" + name + ":" + verb));
                            }
                        }
                    }
                }
            }
        }
        return granted;
    }
}
