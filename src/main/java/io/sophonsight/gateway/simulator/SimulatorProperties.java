package io.sophonsight.gateway.simulator;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code simulator.*} keys: the built-in SophonSight simulator. The push URLs
 * ({@code simulator.push.access-url}, {@code device-status-url}) are read when a push is sent, not bound here: they
 * name the gateway's own port, known only once the web server is up.
 *
 * @param enabled Run the built-in SophonSight simulator (set false against a real platform; k8s/ sets false). Without
 *                the key: off, as the simulator's configuration is (the keys and secrets then are required)
 * @param host Interface the simulator binds to; loopback keeps it private to this machine
 * @param port Port of the simulator's open API and its /simulator/ admin API; 0 = a free port
 * @param demoDevices Devices the simulator lists from start-up, so the demo has boxes to inventory and report on
 * @param photoDownloadEnvelope Answer pic/download with a JSON envelope instead of the image stream
 * @param basePath Serve the simulator's open API under this path prefix, as a platform behind a reverse proxy
 * @param paging How the simulator pages its lists; all off = stable lists
 * @param push The simulator's scheduled pushes
 */
@Validated
@ConfigurationProperties("simulator")
public record SimulatorProperties(
        @DefaultValue("false") boolean enabled,
        @NotBlank @DefaultValue("127.0.0.1") String host,
        @Min(0) @Max(65535) @DefaultValue("9061") int port,
        @Min(0) @DefaultValue("3") int demoDevices,
        @DefaultValue("false") boolean photoDownloadEnvelope,
        @DefaultValue("") String basePath,
        @Valid @DefaultValue Paging paging,
        @Valid @DefaultValue Push push) {

    /**
     * @param pageSizeCap Largest page the simulator gives whatever pageSize asks for; 0 = no cap
     * @param descending List newest first instead of oldest first
     * @param reorder Items with the same sort key come back in a different order on every call
     * @param insertPerCall Items added at the head of a list before each of the next insert-calls list calls
     * @param insertCalls How many list calls get insert-per-call new items
     * @param omitTotal Leave totalCount / totalSize out of the answers
     */
    public record Paging(
            @Min(0) @DefaultValue("0") int pageSizeCap,
            @DefaultValue("false") boolean descending,
            @DefaultValue("false") boolean reorder,
            @Min(0) @DefaultValue("0") int insertPerCall,
            @Min(0) @DefaultValue("0") int insertCalls,
            @DefaultValue("false") boolean omitTotal) {

        SimulatorPaging.Settings settings() {
            return new SimulatorPaging.Settings(pageSizeCap, descending, reorder, insertPerCall, insertCalls, omitTotal);
        }
    }

    /**
     * @param interval Pause between scheduled push rounds, so the embedded demo shows the loop; 0s = only on demand
     */
    public record Push(@NotNull @DefaultValue("30s") Duration interval) {
    }
}
