package io.sophonsight.gateway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.sophonsight.gateway.GatewayTestSupport;

/**
 * The packaged gateway (or its standalone simulator) as a separate operating-system process, for the tests
 * that need what one JVM cannot show: several replicas on one database, a {@code kill -9} in the middle of a
 * load, start-up time and memory. Runs {@code java -jar} on the jar that {@code mvn package} built (system
 * property {@code gateway.jar}, set by the failsafe plugin), in the project folder so that it reads the real
 * {@code application.yaml} and {@code routes/}, exactly as an engineer starts it. Output goes to a log file
 * next to its data folder; {@link #logTail()} shows the end of it when a test fails.
 *
 * <pre>{@code
 * try (GatewayProcess gateway = GatewayProcess.gateway("replica-a")
 *         .env("GATEWAY_DB_URL", url).start()) {
 *     gateway.awaitReady(Duration.ofSeconds(90));
 *     HttpResponse<String> answer = gateway.post("/sophonsight/access-records?key=" + key, json);
 *     gateway.kill();          // SIGKILL: no shutdown hook, no graceful stop
 * }
 * }</pre>
 */
public final class GatewayProcess implements AutoCloseable {

    /** The main class of the image's ENTRYPOINT (the extracted layout). */
    public static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final List<String> arguments;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Path dataDir;
    private final Path log;
    private final int port;
    private TestDatabase database;
    private int managementPort = -1;
    private Path workingDirectory = Path.of("").toAbsolutePath();
    /** The image's layout ({@link #imageLayout}): the extracted jar, started by Spring Boot's launcher; null = {@code -jar}. */
    private Path extractedApp;
    private Process process;
    private Instant startedAt;

    private GatewayProcess(String name, List<String> arguments, int port) {
        this.name = name;
        this.arguments = arguments;
        this.port = port;
        this.dataDir = GatewayTestSupport.freshFolder(name);
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    /**
     * A gateway on its embedded defaults, with free ports and its own data folder. The built-in simulator is
     * on unless the test points {@code SOPHONSIGHT_BASE_URL} elsewhere and sets {@code SIMULATOR_ENABLED=false}.
     * The management port (actuator) and Jolokia get free ports too, so replicas never clash. Its own database
     * is the H2 file in its data folder, or with {@code -Ppostgres} a PostgreSQL schema of its own ({@link #database()}).
     */
    public static GatewayProcess gateway(String name) {
        int port = freePort();
        GatewayProcess gateway = new GatewayProcess(name, List.of(), port);
        gateway.managementPort = freePort();
        gateway.env("SERVER_PORT", Integer.toString(port))
                .env("MANAGEMENT_PORT", Integer.toString(gateway.managementPort))
                .env("SIMULATOR_PORT", Integer.toString(freePort()))
                .env("JOLOKIA_PORT", Integer.toString(freePort()))
                .env("GATEWAY_DATA_DIR", gateway.dataDir.toString());
        gateway.database = TestDatabase.h2File(gateway.dataDir.resolve("db/gateway"), "");
        if (TestDatabase.onPostgres()) {
            gateway.database(TestDatabase.fresh(name));
        }
        return gateway;
    }

    /** The standalone simulator ({@code java -jar gateway.jar simulator}) on a free port, for replicas to share. */
    public static GatewayProcess simulator(String name, String appkey, String secret) {
        int port = freePort();
        GatewayProcess simulator = new GatewayProcess(name, List.of("simulator"), port);
        simulator.env("SIMULATOR_PORT", Integer.toString(port))
                .env("SOPHONSIGHT_APPKEY", appkey)
                .env("SOPHONSIGHT_SECRET", secret);
        return simulator;
    }

    /** The packaged jar, from system property {@code gateway.jar} (set by failsafe) or the only jar in target/. */
    public static Path jar() {
        String configured = System.getProperty("gateway.jar", "");
        if (!configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        try (var jars = Files.list(Path.of("target"))) {
            return jars.filter(p -> p.getFileName().toString().endsWith(".jar")
                            && !p.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(
                            "no packaged jar in target/: run mvn package (or mvn verify) first"))
                    .toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Only the push receivers and the fan-out busy: no simulator pushes, HR sync, inventory or query polls
     * on their schedules, so what a test measures is its own load.
     */
    public GatewayProcess withoutSchedules() {
        String never = "0 0 0 1 1 ? 2099";
        return env("SIMULATOR_PUSH_INTERVAL", "0s")
                .env("HR_SYNC_FIRST_RUN_DELAY_MS", "86400000")
                .env("HR_SYNC_INCREMENTAL_CRON", never)
                .env("HR_SYNC_FULL_CRON", never)
                .env("DEVICES_INVENTORY_CRON", never)
                .env("QUERY_RECORDS_EMPLOYEE_CRON", never)
                .env("QUERY_RECORDS_STRANGER_CRON", never)
                .env("QUERY_RECORDS_VISITOR_CRON", never);
    }

    /**
     * The gateway's own database, readable by the test while the process runs: with {@code -Ppostgres} its
     * PostgreSQL schema; on H2 the file of its data folder, switched to {@code AUTO_SERVER=TRUE} (the same engine
     * and files as the default, shared over a local socket). Call it before {@link #start()}.
     */
    public TestDatabase readableWhileRunning() {
        if (!database.isPostgres()) {
            // the default URL's RETENTION_TIME too, so the test runs the engine settings the gateway ships with
            database(TestDatabase.h2File(dataDir.resolve("db/gateway"), "RETENTION_TIME=5000;QUERY_CACHE_SIZE=64;AUTO_SERVER=TRUE"));
        }
        return database;
    }

    public GatewayProcess env(String key, String value) {
        environment.put(key, value);
        return this;
    }

    /**
     * Starts the process in another folder than the project's (default), e.g. one without {@code application.yaml}
     * and {@code routes/}, as an engineer who runs {@code java -jar} from elsewhere.
     */
    public GatewayProcess workingDirectory(Path folder) {
        this.workingDirectory = folder.toAbsolutePath();
        return this;
    }

    /**
     * Puts the gateway's own database elsewhere ({@code GATEWAY_DB_*}), e.g. one schema shared by two replicas, or
     * the H2 file with {@code AUTO_SERVER=TRUE} so the test can read it while the process runs. A PostgreSQL schema
     * is created when the process starts.
     */
    public GatewayProcess database(TestDatabase database) {
        this.database = database;
        database.gatewayEnvironment().forEach(this::env);
        return this;
    }

    /** The gateway's own database, to read what the process stored (an H2 file only while the process is stopped). */
    public TestDatabase database() {
        return database;
    }

    /**
     * Starts the gateway as the image does (k8s/Dockerfile): in {@code app}, the jar extracted with
     * {@code extract --layers --launcher} (the four layers in one folder, application.yaml and routes/ beside them),
     * by {@code org.springframework.boot.loader.launch.JarLauncher} instead of {@code java -jar}.
     */
    public GatewayProcess imageLayout(Path app) {
        this.extractedApp = app.toAbsolutePath();
        return workingDirectory(app);
    }

    public GatewayProcess jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    public GatewayProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        if (extractedApp != null) {
            // no -cp: the image's ENTRYPOINT runs with the default class path "." (its WORKDIR), the one form the
            // CDS archive accepts (a non-empty folder named on the class path makes -Xshare refuse the archive)
            command.add(JAR_LAUNCHER);
        } else {
            command.add("-jar");
            command.add(jar().toString());
        }
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        if (extractedApp != null) {
            builder.environment().remove("CLASSPATH");
        }
        if (database != null) {
            database.create();
        }
        try {
            startedAt = Instant.now();
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        return this;
    }

    /**
     * Starts the same process again after {@link #kill()} or {@link #stop()}: the same command, environment, ports
     * and data folder, as Kubernetes restarts a pod on its volume. {@link #awaitReady} then measures this start.
     */
    public GatewayProcess restart() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is still running: kill() or stop() it first");
        }
        return start();
    }

    /**
     * Waits until the gateway answers its readiness probe with 200 (the simulator: until its admin API
     * answers), and returns how long the start took. Fails with the end of the log if the process died.
     */
    public Duration awaitReady(Duration timeout) {
        boolean simulatorOnly = arguments.contains("simulator");
        try {
            Awaitility.await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(name + " exited with " + process.exitValue()
                                    + ":\n" + logTail());
                        }
                        return (simulatorOnly ? get("/simulator/state") : management("/actuator/health/readiness")).statusCode() == 200;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + logTail(), e);
        }
        return Duration.between(startedAt, Instant.now());
    }

    /** {@code kill -9}: the JVM gets no chance to finish anything (no shutdown hooks, no graceful stop). */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
    }

    /** SIGTERM: Spring's graceful shutdown, as Kubernetes stops a pod. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(Duration.ofSeconds(60))) {
                kill();
            }
        }
    }

    /** The exit code of the stopped process (143 = ended by SIGTERM after a graceful stop, 137 = killed). */
    public int exitValue() {
        return process.exitValue();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return log;
    }

    public HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
    }

    /** A GET on the management port (MANAGEMENT_PORT): {@code /actuator/health/readiness}, {@code /actuator/prometheus}, ... */
    public HttpResponse<String> management(String path) throws IOException {
        if (managementPort < 0) {
            throw new IllegalStateException(name + " is a simulator: it has no management port");
        }
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path)).GET());
    }

    public HttpResponse<String> post(String path, String json) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The last 80 lines of the process's output, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
