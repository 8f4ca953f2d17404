package io.sophonsight.gateway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.sophonsight.gateway.testkit.GatewayProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Start-up time and idle memory of the packaged gateway on its embedded defaults (built-in simulator,
 * sample HR, embedded Artemis, H2), each start a separate {@code java -jar} process ({@link GatewayProcess},
 * {@code -Xmx512m}) with free ports and its own data folder, deleted afterwards.
 * <ul>
 *   <li>start-up: process start until {@code /actuator/health/readiness} answers 200;</li>
 *   <li>idle memory: once the first HR sync (sample people) has completed and the gateway has then been left
 *       alone for {@code bench.startup.settle-seconds}: resident set size ({@code VmRSS} of
 *       {@code /proc/<pid>/status}) and heap in use (Micrometer's {@code jvm.memory.used}, area heap, read
 *       from {@code /actuator/prometheus}, the metrics endpoint the defaults expose).</li>
 * </ul>
 * Averaged over {@code bench.startup.runs} starts (default 3). Run by {@code bench/run.sh}; only with
 * {@code -Dbench=true}, so that a plain {@code mvn -Pbench test} (bench/push-benchmark.sh) does not start jars.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class StartupBenchmark {

    private static final int RUNS = Integer.getInteger("bench.startup.runs", 3);
    /** Extra JVM options of the measured starts ({@code -Dbench.startup.jvm-options="-XX:+UseSerialGC ..."}), to compare settings. */
    private static final List<String> JVM_OPTIONS = List.of(System.getProperty("bench.startup.jvm-options", "").trim().split("\\s+"))
            .stream().filter(o -> !o.isEmpty()).toList();
    /** Extra environment of the measured starts ({@code -Dbench.startup.env="MALLOC_ARENA_MAX=2 ..."}): the image's memory settings. */
    private static final Map<String, String> ENVIRONMENT = environment(System.getProperty("bench.startup.env", ""));
    /**
     * {@code -Dbench.startup.image-layout=true}: start as the image does (k8s/Dockerfile) - the jar extracted into its
     * layers, Spring Boot's launcher, and the class-data-sharing archive of a training run
     * ({@code -XX:ArchiveClassesAtExit}, {@code -Dspring.context.exit=onRefresh}) mapped by every start.
     */
    private static final boolean IMAGE_LAYOUT = Boolean.getBoolean("bench.startup.image-layout");
    private static final Path IMAGE_APP = Path.of("target", "bench", "startup-image", "app").toAbsolutePath();
    private static final Duration SETTLE = Duration.ofSeconds(Long.getLong("bench.startup.settle-seconds", 10));
    private static final Pattern HEAP_USED = Pattern.compile(
            "(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*}\\s+([0-9.eE+-]+)");
    private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");

    /** {@code cpuSeconds}: the process's user + system CPU from its start to the first ready answer ({@code jitSeconds} of it in the JIT). */
    record Start(double seconds, double rssMb, double heapMb, double cpuSeconds, double jitSeconds) {
    }

    @Test
    void startUpTimeAndIdleMemoryOnTheEmbeddedDefaults() throws Exception {
        if (IMAGE_LAYOUT) {
            prepareImageLayout();
        }
        List<Start> starts = new ArrayList<>();
        for (int i = 1; i <= RUNS; i++) {
            starts.add(startOnce("bench-startup-" + i));
        }
        assertThat(starts).hasSize(RUNS).allMatch(s -> s.seconds() > 0 && s.rssMb() > 0 && s.heapMb() > 0);
        String jvmOptions = (IMAGE_LAYOUT ? ", the image's layout (extracted jar, JarLauncher, CDS archive of a training run)" : "")
                + (JVM_OPTIONS.isEmpty() ? "" : " " + String.join(" ", JVM_OPTIONS))
                + ENVIRONMENT.entrySet().stream().map(e -> " " + e.getKey() + "=" + e.getValue()).collect(Collectors.joining());

        BenchMetrics.record("startup.seconds", "Start-up: process start to readiness 200",
                average(starts, Start::seconds), "s", spread(starts, Start::seconds, "%.1f") + "embedded defaults, -Xmx512m"
                        + jvmOptions);
        // CPU to readiness moves far less with other load on the machine than the wall time above
        BenchMetrics.record("startup.cpu", "Start-up: CPU time to readiness (user + system)",
                average(starts, Start::cpuSeconds), "s", spread(starts, Start::cpuSeconds, "%.1f") + String.format(Locale.ROOT,
                        "of which JIT compiler threads %.1f s", average(starts, Start::jitSeconds)));
        BenchMetrics.record("idle.rss", "Idle memory: resident set size",
                average(starts, Start::rssMb), "MB", spread(starts, Start::rssMb, "%.0f") + "VmRSS after the first HR sync + "
                        + SETTLE.toSeconds() + " s idle");
        BenchMetrics.record("idle.heap", "Idle memory: heap in use",
                average(starts, Start::heapMb), "MB", spread(starts, Start::heapMb, "%.0f") + "jvm.memory.used{area=heap}");
    }

    private Start startOnce(String name) throws Exception {
        GatewayProcess gateway = GatewayProcess.gateway(name);
        JVM_OPTIONS.forEach(gateway::jvmOption);
        ENVIRONMENT.forEach(gateway::env);
        if (IMAGE_LAYOUT) {
            gateway.imageLayout(IMAGE_APP).jvmOption("-XX:SharedArchiveFile=" + IMAGE_APP.resolve("app.jsa")).jvmOption("-Xshare:auto");
        }
        try {
            // Given the packaged jar on its embedded defaults
            gateway.start();
            // When it starts, then it becomes ready
            Duration startup = gateway.awaitReady(Duration.ofSeconds(600));
            Map<String, Double> cpu = ThreadGroupCpu.start(gateway.pid()).sinceStart();
            // And once the first HR sync has finished and nothing has been asked of it for a while, it is idle
            await(name + " first HR sync").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> gateway.get("/api/hr-sync/status").body().contains("COMPLETED"));
            await(name + " idle").pollDelay(SETTLE).atMost(SETTLE.plusSeconds(5)).until(gateway::isAlive);
            double rss = rssMb(gateway.pid());
            double heap = heapMb(gateway.management("/actuator/prometheus").body());
            System.out.printf(Locale.ROOT, "%s: ready in %d ms, CPU to ready %.1f s (JIT %.1f s), RSS %.0f MB, heap %.0f MB%n", name,
                    startup.toMillis(), cpu.get("total"), cpu.get(ThreadGroupCpu.JIT), rss, heap);
            return new Start(startup.toMillis() / 1000.0, rss, heap, cpu.get("total"), cpu.get(ThreadGroupCpu.JIT));
        } finally {
            gateway.stop();
            deleteRecursively(gateway.dataDir());
            Files.deleteIfExists(gateway.logFile());
        }
    }

    /**
     * The image's {@code /app}, made as k8s/Dockerfile makes it: the jar's four layers extracted into one folder,
     * application.yaml and routes/ beside them, then the training run that writes {@code app.jsa}.
     */
    private static void prepareImageLayout() throws Exception {
        Path root = IMAGE_APP.getParent();
        deleteRecursively(root);
        Path extracted = root.resolve("extracted");
        run(root, List.of(java(), "-Djarmode=tools", "-jar", GatewayProcess.jar().toString(), "extract", "--layers",
                "--launcher", "--destination", extracted.toString()), Map.of());
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            copyTree(extracted.resolve(layer), IMAGE_APP);
        }
        Files.copy(Path.of("application.yaml"), IMAGE_APP.resolve("application.yaml"));
        copyTree(Path.of("routes"), IMAGE_APP.resolve("routes"));
        // the Dockerfile's training run: same JVM options as a start, context refreshed once, archive written at exit
        List<String> training = new ArrayList<>(List.of(java(), "-Xmx512m"));
        training.addAll(JVM_OPTIONS);
        training.addAll(List.of("-XX:ArchiveClassesAtExit=" + IMAGE_APP.resolve("app.jsa"), "-Dspring.context.exit=onRefresh",
                GatewayProcess.JAR_LAUNCHER));
        Map<String, String> environment = new java.util.LinkedHashMap<>(ENVIRONMENT);
        environment.putAll(Map.of("GATEWAY_DATA_DIR", root.resolve("training-data").toString(), "SERVER_PORT", "0",
                "MANAGEMENT_PORT", "0", "SIMULATOR_PORT", "0", "JOLOKIA_ENABLED", "false"));
        run(IMAGE_APP, training, environment);
        assertThat(IMAGE_APP.resolve("app.jsa")).as("CDS archive of the training run").isRegularFile();
        deleteRecursively(root.resolve("training-data"));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void run(Path folder, List<String> command, Map<String, String> environment) throws Exception {
        Files.createDirectories(folder);
        Path log = folder.getParent().resolve(folder.getFileName() + "-command.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().remove("CLASSPATH"); // the default class path ".", as in the image
        Process process = builder.start();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + Files.readString(log)).isZero();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** {@code KEY=VALUE} words, in order. */
    private static Map<String, String> environment(String words) {
        Map<String, String> environment = new java.util.LinkedHashMap<>();
        for (String word : words.trim().split("\\s+")) {
            int equals = word.indexOf('=');
            if (equals > 0) {
                environment.put(word.substring(0, equals), word.substring(equals + 1));
            } else if (!word.isEmpty()) {
                throw new IllegalArgumentException("bench.startup.env: '" + word + "' is not KEY=VALUE");
            }
        }
        return environment;
    }

    private static double rssMb(long pid) throws IOException {
        Matcher rss = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        if (!rss.find()) {
            throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
        }
        return Long.parseLong(rss.group(1)) / 1024.0;
    }

    /** Sum over the heap pools of {@code jvm_memory_used_bytes{area="heap"}}, in MB. */
    static double heapMb(String prometheus) {
        Matcher heap = HEAP_USED.matcher(prometheus);
        double bytes = 0;
        boolean found = false;
        while (heap.find()) {
            bytes += Double.parseDouble(heap.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("no jvm_memory_used_bytes{area=\"heap\"} in /actuator/prometheus");
        }
        return bytes / (1024 * 1024);
    }

    private static double average(List<Start> starts, java.util.function.ToDoubleFunction<Start> value) {
        return starts.stream().mapToDouble(value).average().orElseThrow();
    }

    /** "mean of 3 starts (min .., max ..); " or "1 start; ". */
    private static String spread(List<Start> starts, java.util.function.ToDoubleFunction<Start> value, String format) {
        if (starts.size() == 1) {
            return "1 start; ";
        }
        double min = starts.stream().mapToDouble(value).min().orElseThrow();
        double max = starts.stream().mapToDouble(value).max().orElseThrow();
        return "mean of " + starts.size() + " starts (min " + String.format(Locale.ROOT, format, min) + ", max "
                + String.format(Locale.ROOT, format, max) + "); ";
    }

    static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
