package io.sophonsight.gateway.simulator;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs only the simulator, without the gateway: {@code java -jar gateway.jar simulator}. Used when several
 * gateway replicas must share one simulated platform (replica and failover tests, benchmarks), or to
 * give a test platform to a gateway that runs elsewhere. Configured by the same environment variables
 * as the built-in one; {@code SOPHONSIGHT_APPKEY} and {@code SOPHONSIGHT_SECRET} are required here, since
 * the gateways that call it must sign with the same values.
 */
public final class StandaloneSimulator {

    private StandaloneSimulator() {
    }

    public static void main(String[] args) throws Exception {
        String appkey = required("SOPHONSIGHT_APPKEY");
        String secret = required("SOPHONSIGHT_SECRET");
        String host = env("SIMULATOR_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("SIMULATOR_PORT", "9061"));
        Duration interval = Duration.parse("PT" + env("SIMULATOR_PUSH_INTERVAL", "0s").toUpperCase());
        String accessUrl = env("SIMULATOR_PUSH_ACCESS_URL", "");
        String deviceStatusUrl = env("SIMULATOR_PUSH_DEVICE_STATUS_URL", "");
        SophonSightSimulator simulator = new SophonSightSimulator(new ObjectMapper(), appkey, secret,
                new SimulatorPusher.Config(() -> accessUrl, () -> deviceStatusUrl),
                Boolean.parseBoolean(env("SIMULATOR_PHOTO_DOWNLOAD_ENVELOPE", "false")), env("SIMULATOR_BASE_PATH", ""));
        simulator.start(host, port, interval.toMillis());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "simulator-shutdown"));
        System.out.println("SophonSight simulator listening on http://" + host + ":" + simulator.port()
                + " (admin: /simulator/state), appkey " + appkey);
        stopped.await();
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            System.err.println(name + " must be set for the standalone simulator (the gateways sign with it)");
            System.exit(2);
        }
        return value;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
