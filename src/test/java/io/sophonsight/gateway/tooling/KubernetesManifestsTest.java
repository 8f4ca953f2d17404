package io.sophonsight.gateway.tooling;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.PropertySource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Kubernetes manifests of {@code k8s/} checked against the gateway they deploy: {@code application.yaml},
 * {@code routes/} and {@code k8s/Dockerfile}. Plain JUnit, no Spring context.
 *
 * <p>Every overlay under {@code k8s/overlays} is rendered with {@code kubectl kustomize} exactly as
 * {@code kubectl apply -k} does it (no {@code --load-restrictor} flag, which Argo CD and Flux do not pass) when
 * kubectl is on the PATH. Without it
 * (or with {@code -Dk8s.manifests.parse-only=true}) the same overlay is assembled from its YAML files with
 * SnakeYAML: resources, components, ConfigMap/Secret generators, replicas and strategic-merge patches (lists of named
 * items merged by name), enough for what kustomize does in this repository. Each test logs which way it
 * checked; neither way is skipped.
 */
class KubernetesManifestsTest {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesManifestsTest.class);
    private static final Path PROJECT = Path.of(".");
    private static final Path K8S = PROJECT.resolve("k8s");
    private static final Path OVERLAYS = K8S.resolve("overlays");
    private static final String SECRET_TEMPLATE = "secret.template.yaml";
    /** The flows as a kustomize Component, included by k8s/base: the routes ConfigMap is generated in routes/ itself. */
    private static final Path ROUTES_COMPONENT = PROJECT.resolve(FlowFiles.ROUTES).resolve("kustomization.yaml");
    /** The copy of application.yaml that k8s/base generates its ConfigMap from (kustomize reads nothing outside its folder). */
    private static final Path APPLICATION_YAML_COPY = K8S.resolve("base").resolve(FlowFiles.APPLICATION_YAML);

    /** A variable application.yaml reads: {@code ${NAME:default}}. */
    private static final Pattern READ_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):");
    /** A comment saying its key comes from the environment only: "environment only", "environment / Kubernetes Secret only". */
    private static final Pattern SECRET_ONLY = Pattern.compile("(?i)\\benvironment( only|\\s*(/|or)\\s*Kubernetes Secret only)");
    /** A variable holding a credential: it belongs in the Secret, never in a ConfigMap. */
    private static final Pattern CREDENTIAL = Pattern.compile(".*(PASSWORD|SECRET|_KEY|APPKEY)$");

    /**
     * Variables the Deployment may set that application.yaml does not read itself: the JVM reads
     * JAVA_TOOL_OPTIONS. The others join application.yaml with work merged separately: GATEWAY_CLUSTER_MODE,
     * GATEWAY_CLUSTER_NAMESPACE, KUBERNETES_NAMESPACE, POD_NAME (branch cluster: leader election through
     * the Lease); once it is merged, only JAVA_TOOL_OPTIONS needs to stay here.
     */
    private static final Set<String> READ_ELSEWHERE = Set.of("KUBERNETES_NAMESPACE", "POD_NAME", "JAVA_TOOL_OPTIONS",
            "GATEWAY_CLUSTER_MODE", "GATEWAY_CLUSTER_NAMESPACE");

    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();
    /** Seconds a stopping JVM needs after Camel has stopped: connection pools, the embedded broker, H2 files. */
    private static final long JVM_EXIT_SECONDS = 5;

    static Stream<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(OVERLAYS)) {
            List<String> names = dirs.filter(dir -> Files.isRegularFile(dir.resolve("kustomization.yaml")))
                    .map(dir -> dir.getFileName().toString()).sorted().toList();
            assertThat(names).as("overlays under k8s/overlays").isNotEmpty();
            return names.stream();
        }
    }

    // ---------------------------------------------------------------- ConfigMaps and files

    @Test
    void everyFileAKustomizationNamesExists() throws IOException {
        // Given every kustomization.yaml under k8s/ and the routes Component
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Stream.concat(Files.walk(K8S), Stream.of(ROUTES_COMPONENT))) {
            for (Path kustomization : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
                Map<String, Object> k = yaml(kustomization);
                Path dir = kustomization.getParent();
                // When every resource, generator file and patch it names is looked up
                List<String> named = new ArrayList<>(strings(k.get("resources")));
                named.addAll(strings(k.get("components")));
                for (String generators : List.of("configMapGenerator", "secretGenerator")) {
                    for (Map<String, Object> generator : maps(k.get(generators))) {
                        strings(generator.get("files")).forEach(f -> named.add(f.contains("=") ? f.substring(f.indexOf('=') + 1) : f));
                        named.addAll(strings(generator.get("envs")));
                    }
                }
                maps(k.get("patches")).forEach(p -> named.add((String) p.get("path")));
                // Then each exists
                named.stream().filter(Objects::nonNull).filter(name -> !Files.exists(dir.resolve(name)))
                        .forEach(name -> missing.add(PROJECT.relativize(kustomization) + " names " + name));
            }
        }
        assertThat(missing).as("files named in kustomizations that do not exist").isEmpty();
    }

    @Test
    void theApplicationYamlCopyOfTheBaseIsTheTopLevelFile() throws IOException {
        // Given the top-level application.yaml (what java -jar and mvn spring-boot:run read) and the copy in k8s/base
        String topLevel = Files.readString(PROJECT.resolve(FlowFiles.APPLICATION_YAML));

        // Then they are the same, byte for byte (after an edit of application.yaml: cp application.yaml k8s/base/)
        assertThat(APPLICATION_YAML_COPY).as("k8s/base/application.yaml").isRegularFile();
        assertThat(Files.readString(APPLICATION_YAML_COPY))
                .as("k8s/base/application.yaml differs from application.yaml: run  cp application.yaml k8s/base/application.yaml")
                .isEqualTo(topLevel);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theConfigMapsCarryTheRepositorysApplicationYamlAndEveryRouteFile(String overlay) throws IOException {
        // Given the rendered overlay
        List<Map<String, Object>> docs = render(overlay);

        // Then the config ConfigMap holds application.yaml exactly as in the repository
        Map<String, String> config = data(generated(docs, "ConfigMap", "sophonsight-gateway-config"));
        assertThat(config).as("keys of the config ConfigMap").containsOnlyKeys(FlowFiles.APPLICATION_YAML);
        assertThat(config.get(FlowFiles.APPLICATION_YAML)).as("application.yaml in the ConfigMap")
                .isEqualTo(Files.readString(PROJECT.resolve(FlowFiles.APPLICATION_YAML)));

        // And the routes ConfigMap holds every routes/*.camel.yaml, each exactly as in the repository
        Map<String, String> routes = data(generated(docs, "ConfigMap", "sophonsight-gateway-routes"));
        Map<String, String> expected = new TreeMap<>();
        for (Path file : FlowFiles.routeFiles(PROJECT)) {
            expected.put(file.getFileName().toString(), Files.readString(file));
        }
        assertThat(new TreeSet<>(routes.keySet()))
                .as("route files in the routes ConfigMap (list each routes/*.camel.yaml in routes/kustomization.yaml)")
                .isEqualTo(expected.keySet());
        expected.forEach((name, text) -> assertThat(routes.get(name)).as(name + " in the ConfigMap").isEqualTo(text));

        // And each ConfigMap stays under Kubernetes' 1 MiB limit
        for (Map<String, String> map : List.of(config, routes)) {
            long bytes = map.values().stream().mapToLong(v -> v.getBytes(StandardCharsets.UTF_8).length).sum();
            assertThat(bytes).as("size of a ConfigMap").isLessThan(1024 * 1024);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theConfigMapsAreMountedWhereTheGatewayReadsItsFiles(String overlay) throws IOException {
        // Given the rendered overlay and the image's working directory (k8s/Dockerfile WORKDIR)
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> container = gatewayContainer(docs);
        String workDir = Objects.requireNonNullElse((String) container.get("workingDir"), dockerfile().workDir());
        Map<String, String> env = environment(docs, container);
        // The gateway reads ./application.yaml and routes from camel.main.routes-include-pattern (file:routes/*.camel.yaml)
        String pattern = env.getOrDefault("GATEWAY_ROUTES", defaultOf(property("camel.main.routes-include-pattern")));
        assertThat(pattern).as("routes-include-pattern").startsWith("file:");
        String routesDir = pattern.substring("file:".length(), pattern.lastIndexOf('/'));
        String routesPath = routesDir.startsWith("/") ? routesDir : workDir + "/" + routesDir;

        // Then application.yaml of the config ConfigMap replaces the image's ./application.yaml
        Map<String, Object> configMount = mountOf(docs, container, "sophonsight-gateway-config");
        assertThat(configMount.get("mountPath")).as("mount of application.yaml").isEqualTo(workDir + "/" + FlowFiles.APPLICATION_YAML);
        assertThat(configMount.get("subPath")).as("subPath of application.yaml").isEqualTo(FlowFiles.APPLICATION_YAML);

        // And the routes ConfigMap is the folder the include pattern reads
        Map<String, Object> routesMount = mountOf(docs, container, "sophonsight-gateway-routes");
        assertThat(routesMount.get("mountPath")).as("mount of the routes").isEqualTo(routesPath);
        assertThat(routesMount.get("subPath")).as("routes folder mounted whole, so a new route file needs no new mount").isNull();

        // And the environment ConfigMap it takes variables from exists
        for (Map<String, Object> from : maps(container.get("envFrom"))) {
            Map<String, Object> ref = map(from.get("configMapRef"));
            if (ref != null) {
                assertThat(find(docs, "ConfigMap", (String) ref.get("name"))).as("envFrom ConfigMap " + ref.get("name")).isNotNull();
            }
        }
    }

    @Test
    void aRoutesFolderMountedFromAConfigMapLoadsEveryRouteOnce(@TempDir Path mounted) throws Exception {
        // Given a folder laid out as the kubelet mounts a ConfigMap: the files live in a timestamped
        // folder, ..data links to it, and each key is a link ..data/<key> at the top
        Path version = Files.createDirectory(mounted.resolve("..2026_01_01_00_00_00.000000001"));
        Files.createSymbolicLink(mounted.resolve("..data"), version.getFileName());
        List<String> names = new ArrayList<>();
        for (Path route : FlowFiles.routeFiles(PROJECT)) {
            String name = route.getFileName().toString();
            Files.copy(route, version.resolve(name));
            Files.createSymbolicLink(mounted.resolve(name), Path.of("..data", name));
            names.add(name);
        }

        // When Camel resolves the include pattern's file part (routes/*.camel.yaml) in that folder
        String pattern = defaultOf(property("camel.main.routes-include-pattern"));
        Set<Path> found = ResourceHelper.findInFileSystem(mounted, pattern.substring(pattern.lastIndexOf('/') + 1));

        // Then every route file is found once, by its top-level name, never again through ..data
        assertThat(found.stream().map(p -> mounted.relativize(p).toString()).sorted().toList())
                .as("route files Camel loads from the mounted ConfigMap").isEqualTo(names.stream().sorted().toList());
    }

    // ---------------------------------------------------------------- variables and the Secret

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyVariableFromTheSecretIsOneApplicationYamlReadsAndTheSecretHasIt(String overlay) throws IOException {
        // Given the rendered overlay and the variables application.yaml reads
        List<Map<String, Object>> docs = render(overlay);
        Set<String> read = variablesApplicationYamlReads();
        Map<String, Object> container = gatewayContainer(docs);

        // When the variables taken from a Secret are listed
        Map<String, String> fromSecret = new TreeMap<>();
        String secretName = null;
        for (Map<String, Object> variable : maps(container.get("env"))) {
            Map<String, Object> ref = map(path(variable, "valueFrom", "secretKeyRef"));
            if (ref != null) {
                String name = (String) variable.get("name");
                // Then each is one application.yaml reads, under its own name as the Secret's key
                assertThat(read).as(name + " (from the Secret) is read by application.yaml as ${" + name + ":...}").contains(name);
                assertThat(ref.get("key")).as("Secret key of " + name).isEqualTo(name);
                fromSecret.put(name, (String) ref.get("name"));
                secretName = (String) ref.get("name");
            }
        }
        assertThat(fromSecret).as("variables from the Secret").containsKeys("SOPHONSIGHT_SECRET", "GATEWAY_PUSH_KEY");
        if ("false".equals(environment(docs, container).get("SIMULATOR_ENABLED"))) {
            // And against a real platform, every variable application.yaml says comes from the environment
            // or a Secret only (its comment: "environment only", "environment / Kubernetes Secret only") is in the Secret
            assertThat(fromSecret.keySet()).as("variables application.yaml reserves for the environment / Secret")
                    .containsAll(secretOnlyVariables());
        }
        assertThat(new TreeSet<>(fromSecret.values())).as("one Secret").hasSize(1);

        // And the Secret has exactly those keys: generated by the overlay, or its secret.template.yaml
        Map<String, Object> secret = find(docs, "Secret", secretName);
        Path template = OVERLAYS.resolve(overlay).resolve(SECRET_TEMPLATE);
        if (secret == null) {
            assertThat(template).as("overlay " + overlay + " creates no Secret, so it needs " + SECRET_TEMPLATE).isRegularFile();
            secret = yaml(template);
            assertThat(path(secret, "metadata", "name")).as("name in " + SECRET_TEMPLATE).isEqualTo(secretName);
            Map<String, Object> values = map(secret.get("stringData"));
            assertThat(values.values()).as("values of the template stay empty (no real secret in git)").allMatch(""::equals);
        }
        Set<String> keys = new TreeSet<>();
        keys.addAll(keysOf(secret.get("data")));
        keys.addAll(keysOf(secret.get("stringData")));
        assertThat(keys).as("keys of the Secret").isEqualTo(fromSecret.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyOtherVariableIsOneTheGatewayReadsAndNoCredentialIsInAConfigMap(String overlay) throws IOException {
        // Given the rendered overlay's variables that do not come from the Secret
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> container = gatewayContainer(docs);
        Set<String> plain = new TreeSet<>();
        for (Map<String, Object> from : maps(container.get("envFrom"))) {
            Map<String, Object> ref = map(from.get("configMapRef"));
            assertThat(ref).as("envFrom takes ConfigMaps only (credentials are secretKeyRef)").isNotNull();
            plain.addAll(data(find(docs, "ConfigMap", (String) ref.get("name"))).keySet());
        }
        maps(container.get("env")).stream().filter(v -> path(v, "valueFrom", "secretKeyRef") == null)
                .forEach(v -> plain.add((String) v.get("name")));

        // Then each is read by application.yaml (a typo would silently change nothing) or by the platform around it
        Set<String> read = variablesApplicationYamlReads();
        assertThat(plain).as("variables neither application.yaml nor the Kubernetes client/JVM read")
                .allMatch(name -> read.contains(name) || READ_ELSEWHERE.contains(name));

        // And no credential is set in the clear
        assertThat(plain).as("credentials outside the Secret").noneMatch(name -> CREDENTIAL.matcher(name).matches());
    }

    // ---------------------------------------------------------------- probes and ports

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void probesUseTheActuatorHealthGroupsOnThePortTheGatewayListensOn(String overlay) throws IOException {
        // Given application.yaml's actuator settings
        assertThat(property("management.endpoint.health.probes.enabled")).as("health probes enabled").isEqualTo("true");
        assertThat(property("management.endpoint.health.group.liveness.include")).as("liveness group").isNotBlank();
        assertThat(property("management.endpoint.health.group.readiness.include")).as("readiness group").isNotBlank();
        List<String> exposed = List.of(property("management.endpoints.web.exposure.include").split("\\s*,\\s*"));
        assertThat(exposed).as("actuator endpoints served over HTTP").contains("health", "prometheus");
        String base = Objects.requireNonNullElse(property("management.endpoints.web.base-path"), "/actuator");

        // And the rendered overlay's gateway container
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> container = gatewayContainer(docs);
        Map<String, String> env = environment(docs, container);
        int serverPort = Integer.parseInt(env.getOrDefault("SERVER_PORT", defaultOf(property("server.port"))));
        int managementPort = managementPort(env);
        assertThat(managementPort).as("management.server.port: the actuator on a port of its own").isNotEqualTo(serverPort);

        // Then liveness, readiness and start-up probes ask the health groups on the management port
        Map<String, Integer> ports = containerPorts(container);
        assertThat(ports.get("http")).as("container port http = server.port").isEqualTo(serverPort);
        assertThat(ports.get("management")).as("container port management = management.server.port").isEqualTo(managementPort);
        Map<String, String> expectedPath = Map.of("livenessProbe", base + "/health/liveness",
                "readinessProbe", base + "/health/readiness", "startupProbe", base + "/health/liveness");
        expectedPath.forEach((probe, expected) -> {
            Map<String, Object> get = map(path(container, probe, "httpGet"));
            assertThat(get).as(probe + " (httpGet)").isNotNull();
            assertThat(get.get("path")).as(probe + " path").isEqualTo(expected);
            assertThat(resolvePort(get.get("port"), ports)).as(probe + " port").isEqualTo(managementPort);
        });

        // And Prometheus scrapes the actuator's prometheus endpoint on that port
        Map<String, Object> annotations = map(path(gatewayDeployment(docs), "spec", "template", "metadata", "annotations"));
        assertThat(annotations).as("pod annotations").containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", base + "/prometheus")
                .containsEntry("prometheus.io/port", String.valueOf(managementPort));

        // And the Service sends traffic to server.port, and the port named jolokia is JOLOKIA_PORT
        Map<String, Object> service = find(docs, "Service", "sophonsight-gateway");
        for (Map<String, Object> port : maps(path(service, "spec", "ports"))) {
            assertThat(resolvePort(port.get("targetPort"), ports)).as("Service targetPort").isEqualTo(serverPort);
        }
        if (env.containsKey("JOLOKIA_PORT")) {
            assertThat(ports.get("jolokia")).as("container port jolokia = JOLOKIA_PORT").isEqualTo(Integer.parseInt(env.get("JOLOKIA_PORT")));
        }
    }

    // ---------------------------------------------------------------- network: who reaches which port

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theNetworkPolicyAdmitsTheIngressToThePushPortMonitoringToManagementAndNobodyToJolokia(String overlay) throws IOException {
        // Given the rendered overlay: the gateway's pods and their named ports
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> container = gatewayContainer(docs);
        Map<String, Integer> ports = containerPorts(container);
        Map<String, String> env = environment(docs, container);
        Map<String, Object> podLabels = map(path(gatewayDeployment(docs), "spec", "template", "metadata", "labels"));

        // When the NetworkPolicies selecting those pods are read
        List<Map<String, Object>> policies = documents(docs, "NetworkPolicy").stream()
                .filter(p -> podLabels.entrySet().containsAll(
                        map(Objects.requireNonNullElse(path(p, "spec", "podSelector", "matchLabels"), Map.of())).entrySet()))
                .toList();
        assertThat(policies).as("NetworkPolicy selecting the gateway's pods").hasSize(1);
        Map<String, Object> spec = map(policies.get(0).get("spec"));
        assertThat(strings(spec.get("policyTypes"))).as("policyTypes").contains("Ingress");

        // Then each rule names its sources and its ports (an empty from or ports would admit everyone or every port)
        Map<Integer, Set<String>> admitted = new TreeMap<>();
        for (Map<String, Object> rule : maps(spec.get("ingress"))) {
            assertThat(maps(rule.get("from"))).as("sources of an ingress rule").isNotEmpty();
            assertThat(maps(rule.get("ports"))).as("ports of an ingress rule").isNotEmpty();
            Set<String> sources = new TreeSet<>();
            for (Map<String, Object> from : maps(rule.get("from"))) {
                assertThat(from).as("a source is a namespace, never an address block").containsOnlyKeys("namespaceSelector");
                sources.add(String.valueOf(path(from, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name")));
            }
            for (Map<String, Object> port : maps(rule.get("ports"))) {
                Integer number = resolvePort(port.get("port"), ports);
                assertThat(number).as("port " + port.get("port") + " is a port of the gateway container").isNotNull();
                admitted.computeIfAbsent(number, n -> new TreeSet<>()).addAll(sources);
            }
        }
        // And the push/API port admits the ingress controller only, the management port the monitoring namespace only
        int serverPort = Integer.parseInt(env.getOrDefault("SERVER_PORT", defaultOf(property("server.port"))));
        assertThat(admitted).as("namespaces admitted per port").containsOnlyKeys(serverPort, managementPort(env));
        assertThat(admitted.get(serverPort)).as("namespaces reaching the push/API port").containsExactly("ingress-nginx");
        assertThat(admitted.get(managementPort(env))).as("namespaces reaching the management port").containsExactly("monitoring");
        // And Jolokia is admitted from nowhere, and listens on loopback (port-forward) unless it has a password
        assertThat(admitted).as("Jolokia port admitted from nowhere").doesNotContainKey(ports.get("jolokia"));
        String jolokiaHost = env.getOrDefault("JOLOKIA_HOST", defaultOf(property("monitoring.jolokia.host")));
        assertThat(jolokiaHost.equals("127.0.0.1") || env.containsKey("JOLOKIA_USER"))
                .as("JOLOKIA_HOST " + jolokiaHost + " only with JOLOKIA_USER").isTrue();
    }

    @Test
    void theSampleIngressExposesExactlyTheTwoPushPaths() throws IOException {
        // Given the sample Ingress and application.yaml's push paths
        Map<String, Object> ingress = yaml(K8S.resolve("samples").resolve("ingress-push-only.yaml"));
        assertThat(ingress.get("kind")).isEqualTo("Ingress");
        Set<String> pushPaths = Set.of(defaultOf(property("push.access-path")), defaultOf(property("push.device-status-path")));

        // When its rules are listed
        List<Map<String, Object>> paths = new ArrayList<>();
        for (Map<String, Object> rule : maps(path(ingress, "spec", "rules"))) {
            paths.addAll(maps(path(rule, "http", "paths")));
        }
        assertThat(path(ingress, "spec", "defaultBackend")).as("no default backend (everything else: 404)").isNull();

        // Then they are exactly the two push paths, matched exactly (no prefix reaching /api, the replay, the actuator)
        assertThat(paths.stream().map(p -> (String) p.get("path")).collect(java.util.stream.Collectors.toSet()))
                .as("paths of the sample Ingress").isEqualTo(pushPaths);
        assertThat(paths).allSatisfy(p -> assertThat(p.get("pathType")).as("pathType").isEqualTo("Exact"));
        // And they go to the Service's port that targets server.port, over TLS (the push URL carries the key)
        Map<String, Object> service = loadAll(Files.readString(K8S.resolve("base").resolve("service.yaml"))).get(0);
        Set<String> servicePorts = new TreeSet<>();
        maps(path(service, "spec", "ports")).forEach(p -> servicePorts.add((String) p.get("name")));
        assertThat(paths).allSatisfy(p -> {
            assertThat(path(p, "backend", "service", "name")).isEqualTo(path(service, "metadata", "name"));
            assertThat(servicePorts).contains((String) path(p, "backend", "service", "port", "name"));
        });
        assertThat(maps(path(ingress, "spec", "tls"))).as("TLS of the sample Ingress").isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void thePodMonitorScrapesThePrometheusEndpointOnTheActuatorsNamedPort(String overlay) throws IOException {
        // Given the PodMonitor of k8s/monitoring and the rendered overlay's gateway pods
        Map<String, Object> podMonitor = yaml(K8S.resolve("monitoring").resolve("podmonitor.yaml"));
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> container = gatewayContainer(docs);
        Map<String, String> env = environment(docs, container);
        Map<String, Integer> ports = containerPorts(container);
        String base = Objects.requireNonNullElse(property("management.endpoints.web.base-path"), "/actuator");
        String managementPortSetting = property("management.server.port");
        int managementPort = managementPortSetting == null
                ? Integer.parseInt(env.getOrDefault("SERVER_PORT", defaultOf(property("server.port"))))
                : Integer.parseInt(Objects.requireNonNullElse(variableOf(managementPortSetting) == null ? null
                        : env.get(variableOf(managementPortSetting)), defaultOf(managementPortSetting)));

        // Then it selects the gateway pods
        Map<String, Object> podLabels = map(path(gatewayDeployment(docs), "spec", "template", "metadata", "labels"));
        assertThat(podLabels).as("pod labels hold the PodMonitor's selector")
                .containsAllEntriesOf(map(path(podMonitor, "spec", "selector", "matchLabels")));
        assertThat(podLabels).as("the PodMonitor's jobLabel (job=\"sophonsight-gateway\" in the rules)")
                .containsEntry((String) path(podMonitor, "spec", "jobLabel"), "sophonsight-gateway");
        // And scrapes the prometheus endpoint on a named container port that is the actuator's port
        for (Map<String, Object> endpoint : maps(path(podMonitor, "spec", "podMetricsEndpoints"))) {
            assertThat(endpoint.get("path")).as("PodMonitor path").isEqualTo(base + "/prometheus");
            assertThat(ports).as("container ports (the PodMonitor's port " + endpoint.get("port") + ")").containsKey((String) endpoint.get("port"));
            assertThat(ports.get((String) endpoint.get("port"))).as("PodMonitor port = the actuator's port").isEqualTo(managementPort);
        }
    }

    /** The variable of {@code ${NAME:default}}, or null. */
    private static String variableOf(String value) {
        Matcher matcher = Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*):.*}$").matcher(value);
        return matcher.matches() ? matcher.group(1) : null;
    }

    // ---------------------------------------------------------------- stopping

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void thePreStopPauseAndEveryShutdownTimeoutFitThePodsGracePeriod(String overlay) throws IOException {
        // Given the rendered overlay: the grace period, the preStop pause and the gateway's environment
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> pod = map(path(gatewayDeployment(docs), "spec", "template", "spec"));
        Map<String, Object> container = gatewayContainer(docs);
        Map<String, String> env = environment(docs, container);
        int grace = ((Number) Objects.requireNonNullElse(pod.get("terminationGracePeriodSeconds"), 30)).intValue();
        List<String> preStop = strings(path(container, "lifecycle", "preStop", "exec", "command"));
        assertThat(preStop).as("preStop: a pause (sleep N) so the Service stops sending before the gateway stops taking requests")
                .hasSize(2).first().isEqualTo("sleep");
        long preStopSeconds = Long.parseLong(preStop.get(1));

        // When the waits of a stop are added up: the preStop pause, Spring's graceful phase for the HTTP requests in
        // progress (spring.lifecycle.timeout-per-shutdown-phase), Camel's wait for in-flight exchanges
        // (camel.main.shutdown-timeout), and a few seconds for the JVM to close pools, broker and files
        assertThat(property("server.shutdown")).as("server.shutdown").isEqualTo("graceful");
        long phase = DurationStyle.detectAndParse(valueIn(env, property("spring.lifecycle.timeout-per-shutdown-phase"))).toSeconds();
        long camel = Long.parseLong(valueIn(env, property("camel.main.shutdown-timeout")));
        long total = preStopSeconds + phase + camel + JVM_EXIT_SECONDS;

        // Then they fit the grace period, so Kubernetes never kills a gateway that is still finishing its work
        assertThat(total).as("preStop %d s + shutdown phase %d s + Camel %d s + JVM exit %d s <= terminationGracePeriodSeconds %d",
                preStopSeconds, phase, camel, JVM_EXIT_SECONDS, grace).isLessThanOrEqualTo(grace);
    }

    /** The value of {@code ${NAME:default}} in this environment (the variable's value, else the default), or the value itself. */
    private static String valueIn(Map<String, String> env, String value) {
        assertThat(value).as("setting in application.yaml").isNotNull();
        String variable = variableOf(value);
        return variable != null && env.containsKey(variable) ? env.get(variable) : defaultOf(value);
    }

    // ---------------------------------------------------------------- security and writable paths

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theGatewayRunsAsTheImagesNonRootUserOnAReadOnlyRootFilesystemWithoutCapabilities(String overlay) throws IOException {
        // Given the rendered overlay and the image's USER
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> pod = map(path(gatewayDeployment(docs), "spec", "template", "spec"));
        Map<String, Object> container = gatewayContainer(docs);
        Map<String, Object> podSecurity = map(pod.get("securityContext"));
        Map<String, Object> security = map(container.get("securityContext"));
        assertThat(podSecurity).as("pod securityContext").isNotNull();
        assertThat(security).as("container securityContext").isNotNull();

        // Then it runs non-root, as the numeric user the image was built for
        assertThat(podSecurity.get("runAsNonRoot")).as("runAsNonRoot").isEqualTo(true);
        Object user = Objects.requireNonNullElse(security.get("runAsUser"), podSecurity.get("runAsUser"));
        assertThat(user).as("runAsUser").isEqualTo(dockerfile().uid()).isNotEqualTo(0);
        // And the root filesystem is read-only, with no privilege escalation and no capabilities
        assertThat(security.get("readOnlyRootFilesystem")).as("readOnlyRootFilesystem").isEqualTo(true);
        assertThat(security.get("allowPrivilegeEscalation")).as("allowPrivilegeEscalation").isEqualTo(false);
        assertThat(strings(path(security, "capabilities", "drop"))).as("dropped capabilities").contains("ALL");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyFolderTheGatewayWritesIsAWritableVolume(String overlay) throws IOException {
        // Given the rendered overlay: the data folder (GATEWAY_DATA_DIR) and java.io.tmpdir
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> container = gatewayContainer(docs);
        Map<String, String> env = environment(docs, container);
        Map<String, String> writable = new LinkedHashMap<>();
        String dataDir = env.get("GATEWAY_DATA_DIR");
        assertThat(dataDir).as("GATEWAY_DATA_DIR is set (the default ./data lies on the read-only root filesystem)")
                .isNotNull().startsWith("/");
        writable.put("GATEWAY_DATA_DIR", dataDir);
        writable.put("java.io.tmpdir", dockerfile().tmpDir());
        // and any folder setting pointed elsewhere (photo folders, caches)
        env.forEach((name, value) -> {
            if (name.matches(".*_(DIR|FOLDER)$") && value.startsWith("/")) {
                writable.put(name, value);
            }
        });

        // Then each lies on a mounted, writable volume (a claim or an emptyDir)
        Map<String, Map<String, Object>> volumes = new HashMap<>();
        maps(path(gatewayDeployment(docs), "spec", "template", "spec", "volumes")).forEach(v -> volumes.put((String) v.get("name"), v));
        writable.forEach((what, folder) -> {
            Map<String, Object> mount = maps(container.get("volumeMounts")).stream()
                    .filter(m -> folder.equals(m.get("mountPath")) || folder.startsWith(m.get("mountPath") + "/"))
                    .max((a, b) -> ((String) a.get("mountPath")).length() - ((String) b.get("mountPath")).length()).orElse(null);
            assertThat(mount).as(what + " = " + folder + " is on a mounted volume").isNotNull();
            assertThat(mount.get("readOnly")).as(what + " mount is writable").isNotEqualTo(true);
            Map<String, Object> volume = volumes.get((String) mount.get("name"));
            assertThat(volume).as(what + " volume " + mount.get("name")).isNotNull();
            assertThat(volume.containsKey("persistentVolumeClaim") || volume.containsKey("emptyDir"))
                    .as(what + " volume " + mount.get("name") + " is a claim or an emptyDir").isTrue();
        });
    }

    // ---------------------------------------------------------------- replicas, budget, leader election

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theDisruptionBudgetAndTheServiceSelectTheGatewayPods(String overlay) throws IOException {
        // Given the rendered overlay's pod labels
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> deployment = gatewayDeployment(docs);
        Map<String, Object> podLabels = map(path(deployment, "spec", "template", "metadata", "labels"));

        // Then the Deployment, the PodDisruptionBudget and the Service select exactly those pods
        assertThat(podLabels).as("Deployment selector within the pod labels")
                .containsAllEntriesOf(map(path(deployment, "spec", "selector", "matchLabels")));
        Map<String, Object> pdb = find(docs, "PodDisruptionBudget", "sophonsight-gateway");
        assertThat(pdb).as("PodDisruptionBudget").isNotNull();
        Map<String, Object> pdbSelector = map(path(pdb, "spec", "selector", "matchLabels"));
        assertThat(pdbSelector).as("PDB selector").isNotEmpty();
        assertThat(podLabels).as("PDB selector within the pod labels").containsAllEntriesOf(pdbSelector);
        Map<String, Object> serviceSelector = map(path(find(docs, "Service", "sophonsight-gateway"), "spec", "selector"));
        assertThat(serviceSelector).as("Service selector").isNotEmpty();
        assertThat(podLabels).as("Service selector within the pod labels").containsAllEntriesOf(serviceSelector);

        // And a drain may always take one pod down (never blocks, never takes two at once)
        Object maxUnavailable = path(pdb, "spec", "maxUnavailable");
        assertThat(maxUnavailable).as("PDB maxUnavailable").isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theServiceAccountMayUseItsOwnLeaseAndListThePodsAndNothingMore(String overlay) throws IOException {
        // Given the rendered overlay's service account, roles and bindings, and the Lease of its cluster name
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> pod = map(path(gatewayDeployment(docs), "spec", "template", "spec"));
        String account = (String) pod.get("serviceAccountName");
        assertThat(find(docs, "ServiceAccount", account)).as("ServiceAccount " + account).isNotNull();
        assertThat(pod.get("automountServiceAccountToken")).as("token mounted for the Kubernetes API").isNotEqualTo(false);
        String lease = "leaders-" + environment(docs, gatewayContainer(docs)).getOrDefault("GATEWAY_CLUSTER_NAMESPACE",
                defaultOf(property("cluster.namespace")));

        // When the rules of every Role bound to that account are collected (group/resource[/name]:verb)
        Set<String> granted = new TreeSet<>();
        for (Map<String, Object> binding : documents(docs, "RoleBinding")) {
            boolean boundToAccount = maps(binding.get("subjects")).stream()
                    .anyMatch(s -> "ServiceAccount".equals(s.get("kind")) && account.equals(s.get("name")));
            if (!boundToAccount || !"Role".equals(path(binding, "roleRef", "kind"))) {
                continue;
            }
            Map<String, Object> role = find(docs, "Role", (String) path(binding, "roleRef", "name"));
            assertThat(role).as("Role " + path(binding, "roleRef", "name")).isNotNull();
            for (Map<String, Object> rule : maps(role.get("rules"))) {
                List<String> names = strings(rule.get("resourceNames"));
                for (String group : strings(rule.get("apiGroups"))) {
                    for (String resource : strings(rule.get("resources"))) {
                        for (String verb : strings(rule.get("verbs"))) {
                            if (names.isEmpty()) {
                                granted.add(group + "/" + resource + ":" + verb);
                            } else {
                                names.forEach(name -> granted.add(group + "/" + resource + "/" + name + ":" + verb));
                            }
                        }
                    }
                }
            }
        }

        // Then it may create the Lease, read and renew that one Lease only, and list the pods (Camel's members):
        // exactly the calls KubernetesLeaderElectionIT records, no watch, patch or delete, no other Lease
        assertThat(granted).as("what the gateway's account may do").containsExactlyInAnyOrder(
                "coordination.k8s.io/leases:create",
                "coordination.k8s.io/leases/" + lease + ":get",
                "coordination.k8s.io/leases/" + lease + ":update",
                "/pods:list");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void severalReplicasShareDatabaseBrokerAndVolumeAndElectALeaderWithoutTheSimulator(String overlay) throws IOException {
        // Given the rendered overlay
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> deployment = gatewayDeployment(docs);
        Map<String, String> env = environment(docs, gatewayContainer(docs));
        int replicas = ((Number) path(deployment, "spec", "replicas")).intValue();
        Map<String, Object> claim = find(docs, "PersistentVolumeClaim", "sophonsight-gateway-data");
        assertThat(claim).as("data volume claim").isNotNull();
        List<String> accessModes = strings(path(claim, "spec", "accessModes"));

        if (replicas > 1) {
            // Then every replica uses the same PostgreSQL, the same external broker, the same files,
            // the schedules run where the Lease is, and the simulator is off (real platform)
            assertThat(env.get("GATEWAY_DB_URL")).as("GATEWAY_DB_URL").startsWith("jdbc:postgresql:");
            assertThat(env).as("broker settings").containsEntry("GATEWAY_JMS_MODE", "native")
                    .containsEntry("GATEWAY_JMS_EMBEDDED_ENABLED", "false").containsKey("GATEWAY_JMS_BROKER_URL");
            assertThat(env).as("leader election").containsEntry("GATEWAY_CLUSTER_MODE", "kubernetes");
            assertThat(env).as("simulator").containsEntry("SIMULATOR_ENABLED", "false");
            assertThat(env.get("SOPHONSIGHT_BASE_URL")).as("SOPHONSIGHT_BASE_URL: the real platform")
                    .isNotNull().doesNotContain("localhost", "127.0.0.1");
            assertThat(env).as("sample HR tables").containsEntry("HR_SAMPLE_ENABLED", "false");
            assertThat(accessModes).as("data volume shared by the replicas").containsExactly("ReadWriteMany");
        } else {
            // Then one pod owns its embedded files: the old pod stops before the new one starts
            assertThat(path(deployment, "spec", "strategy", "type")).as("strategy of a single replica").isEqualTo("Recreate");
        }
    }

    // ---------------------------------------------------------------- the image

    @Test
    void theImageRunsTheJarAsANonRootUserWithContainerAwareMemory() throws IOException {
        // Given k8s/Dockerfile's runtime stage
        Dockerfile image = dockerfile();

        // Then it is a Java 17 runtime, runs as a numeric non-root user in the folder the ConfigMaps are mounted in,
        assertThat(image.runtimeBase()).as("runtime image").startsWith("eclipse-temurin:17-jre");
        assertThat(image.uid()).as("USER").isPositive();
        assertThat(image.workDir()).as("WORKDIR").startsWith("/");
        // carries application.yaml and routes/ as defaults in that folder,
        assertThat(image.copies()).as("COPY of the default files")
                .contains(FlowFiles.APPLICATION_YAML + " " + image.workDir() + "/" + FlowFiles.APPLICATION_YAML,
                        FlowFiles.ROUTES + " " + image.workDir() + "/" + FlowFiles.ROUTES);
        // and sizes the heap from the container's memory limit, leaving the JVM on an OutOfMemoryError
        assertThat(image.env().get("JAVA_TOOL_OPTIONS")).as("JAVA_TOOL_OPTIONS")
                .contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError").doesNotContain("-Xmx");
    }

    @Test
    void theImageRunsSpringBootsLayeredLayoutWithTheClassDataSharingArchiveOfATrainingRun() throws IOException {
        // Given k8s/Dockerfile
        String text = Files.readString(K8S.resolve("Dockerfile")).replaceAll("\\\\\\n", " ");
        Matcher training = Pattern.compile("-XX:ArchiveClassesAtExit=(\\S+)").matcher(text);
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT (.*)$").matcher(text);

        // Then the jar is extracted into Spring Boot's layers, each copied as its own image layer
        assertThat(text).contains("java -Djarmode=tools -jar /build/app.jar extract --layers --launcher");
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            assertThat(text).as("layer " + layer).containsPattern("COPY --from=build \\S+/" + layer + "/ \\./");
        }
        // And a training run that exits once the context is refreshed writes the archive that every start maps
        assertThat(training.find()).as("training run with -XX:ArchiveClassesAtExit").isTrue();
        assertThat(text).contains("-Dspring.context.exit=onRefresh");
        assertThat(entrypoint.find()).as("ENTRYPOINT").isTrue();
        assertThat(entrypoint.group(1)).contains("-XX:SharedArchiveFile=" + training.group(1),
                "org.springframework.boot.loader.launch.JarLauncher");
    }

    // ================================================================ rendering

    private static List<Map<String, Object>> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, name -> {
            Path dir = OVERLAYS.resolve(name);
            try {
                String kubectl = kubectl();
                if (kubectl != null) {
                    LOG.info("k8s/overlays/{}: rendered with {} kustomize (as kubectl apply -k does)", name, kubectl);
                    return renderWithKubectl(kubectl, dir);
                }
                LOG.info("k8s/overlays/{}: kubectl {}; assembled from the YAML files with SnakeYAML", name,
                        Boolean.getBoolean("k8s.manifests.parse-only") ? "not used (-Dk8s.manifests.parse-only)" : "not on the PATH");
                return assemble(dir);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("rendering k8s/overlays/" + name + ": " + e.getMessage(), e);
            }
        });
    }

    private static String kubectl() {
        if (Boolean.getBoolean("k8s.manifests.parse-only")) {
            return null;
        }
        for (String dir : Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static List<Map<String, Object>> renderWithKubectl(String kubectl, Path dir) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("kustomize", ".err");
        try {
            // no --load-restrictor flag: what kubectl apply -k, Argo CD and Flux do
            Process process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectError(errors.toFile()).start();
            byte[] output;
            try (InputStream out = process.getInputStream()) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                out.transferTo(buffer);
                output = buffer.toByteArray();
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("kubectl kustomize " + dir + " did not finish within 120 s");
            }
            if (process.exitValue() != 0) {
                fail("kubectl kustomize " + dir + " failed: " + Files.readString(errors));
            }
            return loadAll(new String(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** What kustomize does with the kustomization.yaml of {@code dir}, for the features k8s/ uses. */
    private static List<Map<String, Object>> assemble(Path dir) throws IOException {
        Map<String, Object> k = yaml(dir.resolve("kustomization.yaml"));
        List<Map<String, Object>> docs = new ArrayList<>();
        for (String resource : strings(k.get("resources"))) {
            Path path = dir.resolve(resource);
            docs.addAll(Files.isDirectory(path) ? assemble(path) : loadAll(Files.readString(path)));
        }
        for (String component : strings(k.get("components"))) {
            Path componentDir = dir.resolve(component).normalize();
            for (Map<String, Object> generator : maps(yaml(componentDir.resolve("kustomization.yaml")).get("configMapGenerator"))) {
                generate(docs, componentDir, generator, "ConfigMap");
            }
        }
        for (Map<String, Object> generator : maps(k.get("configMapGenerator"))) {
            generate(docs, dir, generator, "ConfigMap");
        }
        for (Map<String, Object> generator : maps(k.get("secretGenerator"))) {
            generate(docs, dir, generator, "Secret");
        }
        for (Map<String, Object> replicas : maps(k.get("replicas"))) {
            map(find(docs, "Deployment", (String) replicas.get("name")).get("spec")).put("replicas", replicas.get("count"));
        }
        for (Map<String, Object> patch : maps(k.get("patches"))) {
            Map<String, Object> change = yaml(dir.resolve((String) patch.get("path")));
            Map<String, Object> target = find(docs, (String) change.get("kind"), (String) path(change, "metadata", "name"));
            assertThat(target).as("target of patch " + patch.get("path")).isNotNull();
            mergePatch(target, change);
        }
        if (k.get("namespace") != null) {
            docs.forEach(doc -> map(doc.get("metadata")).put("namespace", k.get("namespace")));
        }
        return docs;
    }

    private static void generate(List<Map<String, Object>> docs, Path dir, Map<String, Object> generator, String kind) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String file : strings(generator.get("files"))) {
            String key = file.contains("=") ? file.substring(0, file.indexOf('=')) : Path.of(file).getFileName().toString();
            Path source = dir.resolve(file.contains("=") ? file.substring(file.indexOf('=') + 1) : file);
            assertThat(source).as(kind + " generator file").isRegularFile();
            // kustomize's load restrictor (kubectl apply -k has no flag to lift it): no file outside the kustomization's folder
            assertThat(source.toAbsolutePath().normalize()).as(kind + " generator file " + file + " inside " + dir)
                    .startsWith(dir.toAbsolutePath().normalize());
            values.put(key, Files.readString(source));
        }
        for (String envFile : strings(generator.get("envs"))) {
            for (String line : Files.readAllLines(dir.resolve(envFile))) {
                if (!line.isBlank() && !line.strip().startsWith("#")) {
                    values.put(line.substring(0, line.indexOf('=')).strip(), line.substring(line.indexOf('=') + 1));
                }
            }
        }
        for (String literal : strings(generator.get("literals"))) {
            values.put(literal.substring(0, literal.indexOf('=')), literal.substring(literal.indexOf('=') + 1));
        }
        if ("Secret".equals(kind)) {
            values.replaceAll((key, value) -> Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        }
        String name = (String) generator.get("name");
        if ("merge".equals(generator.get("behavior"))) {
            Map<String, Object> existing = find(docs, kind, name);
            assertThat(existing).as(kind + " " + name + " to merge into").isNotNull();
            map(existing.get("data")).putAll(values);
            return;
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "v1");
        doc.put("kind", kind);
        doc.put("metadata", new LinkedHashMap<>(Map.of("name", name)));
        doc.put("data", values);
        docs.add(doc);
    }

    /** Strategic merge as kustomize applies it here: maps merged, lists of named items merged by name, null removes. */
    @SuppressWarnings("unchecked")
    private static void mergePatch(Map<String, Object> target, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            Object current = target.get(key);
            if (value == null) {
                target.remove(key);
            } else if (value instanceof Map && current instanceof Map) {
                mergePatch((Map<String, Object>) current, (Map<String, Object>) value);
            } else if (value instanceof List<?> items && current instanceof List<?> existing && !items.isEmpty()
                    && items.stream().allMatch(i -> i instanceof Map<?, ?> m && m.containsKey("name"))) {
                List<Object> merged = new ArrayList<>(existing);
                for (Object item : items) {
                    Map<String, Object> named = (Map<String, Object>) item;
                    merged.stream().map(e -> (Map<String, Object>) e).filter(e -> named.get("name").equals(e.get("name")))
                            .findFirst().ifPresentOrElse(e -> mergePatch(e, named), () -> merged.add(named));
                }
                target.put(key, merged);
            } else {
                target.put(key, value);
            }
        });
    }

    // ================================================================ the rendered objects

    private static Map<String, Object> gatewayDeployment(List<Map<String, Object>> docs) {
        Map<String, Object> deployment = find(docs, "Deployment", "sophonsight-gateway");
        assertThat(deployment).as("Deployment sophonsight-gateway").isNotNull();
        return deployment;
    }

    private static Map<String, Object> gatewayContainer(List<Map<String, Object>> docs) {
        return maps(path(gatewayDeployment(docs), "spec", "template", "spec", "containers")).stream()
                .filter(c -> "gateway".equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container named gateway"));
    }

    /** The container's variables with their values (envFrom ConfigMaps, then env); fieldRef and secretKeyRef as markers. */
    private static Map<String, String> environment(List<Map<String, Object>> docs, Map<String, Object> container) {
        Map<String, String> env = new TreeMap<>();
        for (Map<String, Object> from : maps(container.get("envFrom"))) {
            Map<String, Object> ref = map(from.get("configMapRef"));
            if (ref != null) {
                env.putAll(data(find(docs, "ConfigMap", (String) ref.get("name"))));
            }
        }
        for (Map<String, Object> variable : maps(container.get("env"))) {
            String value = variable.containsKey("value") ? String.valueOf(variable.get("value")) : "<" + keysOf(variable.get("valueFrom")) + ">";
            env.put((String) variable.get("name"), value);
        }
        return env;
    }

    private static Map<String, Object> mountOf(List<Map<String, Object>> docs, Map<String, Object> container, String configMap) {
        Map<String, Object> generatedMap = generated(docs, "ConfigMap", configMap);
        String actualName = (String) path(generatedMap, "metadata", "name");
        String volume = maps(path(gatewayDeployment(docs), "spec", "template", "spec", "volumes")).stream()
                .filter(v -> actualName.equals(path(v, "configMap", "name"))).map(v -> (String) v.get("name"))
                .findFirst().orElseThrow(() -> new AssertionError("no volume of ConfigMap " + actualName));
        List<Map<String, Object>> mounts = maps(container.get("volumeMounts")).stream().filter(m -> volume.equals(m.get("name"))).toList();
        assertThat(mounts).as("mounts of volume " + volume).hasSize(1);
        assertThat(mounts.get(0).get("readOnly")).as("mount of " + configMap + " read-only").isEqualTo(true);
        return mounts.get(0);
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> container) {
        Map<String, Integer> ports = new HashMap<>();
        maps(container.get("ports")).forEach(p -> ports.put((String) p.get("name"), ((Number) p.get("containerPort")).intValue()));
        return ports;
    }

    private static Integer resolvePort(Object port, Map<String, Integer> ports) {
        return port instanceof Number number ? Integer.valueOf(number.intValue()) : ports.get((String) port);
    }

    /** A generated object: its name is the generator's name plus kustomize's content hash (without kubectl: the name alone). */
    private static Map<String, Object> generated(List<Map<String, Object>> docs, String kind, String name) {
        List<Map<String, Object>> found = documents(docs, kind).stream()
                .filter(d -> ((String) path(d, "metadata", "name")).matches(Pattern.quote(name) + "(-[a-z0-9]{10})?")).toList();
        assertThat(found).as(kind + " generated as " + name).hasSize(1);
        return found.get(0);
    }

    private static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return documents(docs, kind).stream().filter(d -> Objects.equals(name, path(d, "metadata", "name"))).findFirst().orElse(null);
    }

    private static List<Map<String, Object>> documents(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> data(Map<String, Object> configMap) {
        assertThat(configMap).as("ConfigMap").isNotNull();
        Map<String, String> data = new TreeMap<>();
        ((Map<String, Object>) configMap.getOrDefault("data", Map.of())).forEach((k, v) -> data.put(k, String.valueOf(v)));
        return data;
    }

    // ================================================================ application.yaml and the Dockerfile

    private static Set<String> variablesApplicationYamlReads() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher matcher = READ_VARIABLE.matcher(Files.readString(PROJECT.resolve(FlowFiles.APPLICATION_YAML)));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** Variables whose comment in application.yaml says they come from the environment (a Secret) only. */
    private static Set<String> secretOnlyVariables() throws IOException {
        Set<String> names = new TreeSet<>();
        boolean secretOnly = false;
        for (String line : Files.readAllLines(PROJECT.resolve(FlowFiles.APPLICATION_YAML))) {
            String text = line.strip();
            if (text.startsWith("#")) {
                secretOnly |= SECRET_ONLY.matcher(text).find();
                continue;
            }
            Matcher variable = READ_VARIABLE.matcher(text);
            if (secretOnly && variable.find()) {
                names.add(variable.group(1));
            }
            secretOnly = false;
        }
        assertThat(names).as("secret-only variables found in application.yaml").contains("SOPHONSIGHT_SECRET", "GATEWAY_PUSH_KEY");
        return names;
    }

    /** A key of application.yaml's default document as written ({@code ${ENV:default}} unresolved), or null. */
    private static String property(String key) throws IOException {
        PropertySource<?> main = FlowFiles.applicationYaml(PROJECT).get(0);
        Object value = main.getProperty(key);
        return value == null ? null : value.toString();
    }

    /** The management port (actuator, console): MANAGEMENT_PORT of the overlay, or application.yaml's default. */
    private static int managementPort(Map<String, String> env) throws IOException {
        String setting = property("management.server.port");
        assertThat(setting).as("management.server.port in application.yaml").isNotNull();
        return Integer.parseInt(env.getOrDefault("MANAGEMENT_PORT", defaultOf(setting)));
    }

    /** The default of {@code ${NAME:default}}, or the value itself. */
    private static String defaultOf(String value) {
        Matcher matcher = Pattern.compile("^\\$\\{[A-Z][A-Z0-9_]*:(.*)}$").matcher(value);
        return matcher.matches() ? matcher.group(1) : value;
    }

    record Dockerfile(String runtimeBase, String workDir, int uid, Map<String, String> env, List<String> copies) {
        String tmpDir() {
            Matcher matcher = Pattern.compile("-Djava\\.io\\.tmpdir=(\\S+)").matcher(env.getOrDefault("JAVA_TOOL_OPTIONS", ""));
            return matcher.find() ? matcher.group(1) : "/tmp";
        }
    }

    /** The runtime (last) stage of k8s/Dockerfile: base image, WORKDIR, USER, ENV, COPY from the build context. */
    private static Dockerfile dockerfile() throws IOException {
        String text = Files.readString(K8S.resolve("Dockerfile")).replaceAll("\\\\\\n", " ");
        String base = null;
        String workDir = null;
        int uid = -1;
        Map<String, String> env = new LinkedHashMap<>();
        List<String> copies = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] parts = line.strip().split("\\s+", 2);
            if (parts.length < 2 || parts[0].startsWith("#")) {
                continue;
            }
            switch (parts[0].toUpperCase()) {
                case "FROM" -> {
                    base = parts[1].split("\\s+")[0];
                    workDir = null;
                    uid = -1;
                    env.clear();
                    copies.clear();
                }
                case "WORKDIR" -> workDir = parts[1];
                case "USER" -> uid = parts[1].split(":")[0].matches("\\d+") ? Integer.parseInt(parts[1].split(":")[0]) : -1;
                case "ENV" -> {
                    Matcher matcher = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher(parts[1]);
                    while (matcher.find()) {
                        env.put(matcher.group(1), matcher.group(2).replaceAll("^\"|\"$", ""));
                    }
                }
                case "COPY" -> {
                    if (!parts[1].startsWith("--from")) {
                        copies.add(parts[1].replaceAll("\\s+", " "));
                    }
                }
                default -> { }
            }
        }
        return new Dockerfile(base, workDir, uid, env, copies);
    }

    // ================================================================ YAML helpers

    private static Yaml newYaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return map(newYaml().load(Files.readString(file)));
    }

    private static List<Map<String, Object>> loadAll(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : newYaml().loadAll(text)) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    private static Object path(Map<String, Object> root, String... keys) {
        Object node = root;
        for (String key : keys) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(key);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object node) {
        return node == null ? List.of() : (List<Map<String, Object>>) node;
    }

    private static List<String> strings(Object node) {
        return node == null ? List.of() : ((List<?>) node).stream().map(String::valueOf).toList();
    }

    private static Set<String> keysOf(Object node) {
        return node instanceof Map<?, ?> m ? new LinkedHashSet<>(m.keySet().stream().map(String::valueOf).toList()) : Set.of();
    }
}
