package io.sophonsight.gateway.push;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code push.*} keys Java reads: the two push receivers, their budget, the access-event store, the embedded
 * broker, the fan-out's backoff and photo folders, the silence watch. Routes read the same keys through
 * {@code {{push.…}}}; defaults are application.yaml's.
 *
 * @param key Key the platform must put in the push URLs ({@code ?key=}): environment / Kubernetes Secret only; unset
 *            with the simulator on: a per-process key, unset otherwise: start-up fails
 * @param allowedSources IPs / CIDR blocks allowed to push; empty = any address with the key
 * @param accessPath Path of the access-record receiver (the platform's "access record" event-report URL)
 * @param deviceStatusPath Path of the device-status receiver (the platform's "device status" event-report URL)
 * @param observeHttpRequests Also time pushes in Spring's http.server.requests metric (Camel's route timers already do)
 * @param maxBodySize Largest push body accepted; larger -> HTTP 413
 * @param maxNestingDepth Deepest JSON nesting accepted (the forms need 3); deeper -> HTTP 400
 * @param inFlight Budget of push bodies held at once
 * @param identity When a push and a query record are one pass
 * @param store The access-event store's group commit
 * @param broker Limits of the embedded Artemis broker
 * @param fanout Backoff and photo folders of the access-event fan-out
 * @param silence The push-silence watch
 */
@Validated
@ConfigurationProperties("push")
public record PushProperties(
        @DefaultValue("") String key,
        @DefaultValue("") List<String> allowedSources,
        @NotBlank @Pattern(regexp = "/.*", message = "must start with /") @DefaultValue("/sophonsight/access-records") String accessPath,
        @NotBlank @Pattern(regexp = "/.*", message = "must start with /") @DefaultValue("/sophonsight/device-status") String deviceStatusPath,
        @DefaultValue("false") boolean observeHttpRequests,
        @NotNull @DefaultValue("16MB") DataSize maxBodySize,
        @Min(1) @DefaultValue("32") int maxNestingDepth,
        @Valid @DefaultValue InFlight inFlight,
        @Valid @DefaultValue Identity identity,
        @Valid @DefaultValue Store store,
        @Valid @DefaultValue Broker broker,
        @Valid @DefaultValue Fanout fanout,
        @Valid @DefaultValue Silence silence) {

    /**
     * @param maxBytes Bytes of push bodies held at once (a size such as 512MB, or auto = heap-share x max heap / expansion);
     *                 more -> 503 + Retry-After
     * @param heapShare With max-bytes auto: share of the max heap (-Xmx) pushes in flight may fill
     * @param expansion With max-bytes auto: heap bytes one body byte takes while its push is parsed and stored
     * @param retryAfter Retry-After of the 503 answered when the budget is full, in whole seconds
     */
    public record InFlight(
            @NotBlank @Pattern(regexp = "(?i)\\s*(auto|\\d+\\s*(B|KB|MB|GB|TB)?)\\s*", message = "must be auto or a size such as 512MB")
            @DefaultValue("auto") String maxBytes,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @DefaultValue("0.5") double heapShare,
            @DecimalMin("1") @DefaultValue("8") double expansion,
            @NotNull @DefaultValue("1s") Duration retryAfter) {
    }

    /**
     * @param tolerance A push and a query record of one person on one device this close in time are one pass
     */
    public record Identity(@NotNull @DefaultValue("5s") Duration tolerance) {
    }

    /**
     * @param maxBatch Most access events committed in one database transaction when pushes arrive together; 1 = one
     *                 commit per event
     */
    public record Store(@Min(1) @DefaultValue("64") int maxBatch) {
    }

    /**
     * @param addressFullPolicy Embedded broker, full queue or disk: FAIL = the send fails at once and the event stays
     *                          pending in the gateway's database; PAGE/BLOCK would hang the fan-out
     * @param maxSizeBytes Embedded broker: bytes of unread messages one queue holds before that policy applies
     * @param maxDiskUsage Embedded broker: percent of the data disk in use above which it takes no more messages
     */
    public record Broker(
            @NotNull @DefaultValue("FAIL") AddressFullMessagePolicy addressFullPolicy,
            @Min(1) @DefaultValue("67108864") long maxSizeBytes,
            @Min(0) @Max(100) @DefaultValue("90") int maxDiskUsage) {
    }

    /**
     * @param maxAttempts Attempts of one event before it goes to the dead-letter table
     * @param initialDelayMs Delay before the second attempt, multiplied by backoff-multiplier for each next one
     * @param backoffMultiplier Growth factor of the delay between attempts (exponential backoff)
     * @param maxDelayMs Upper bound of one delay, so a long outage is probed regularly
     * @param photoFolder Folder (under the data folder) of the photos written from base64 images
     * @param strangerPhotoFolder Folder (under the data folder) of strangers' photos; empty = photo-folder
     */
    public record Fanout(
            @Min(1) @DefaultValue("10") int maxAttempts,
            @Min(0) @DefaultValue("1000") long initialDelayMs,
            @DecimalMin("1") @DefaultValue("2") double backoffMultiplier,
            @Min(0) @DefaultValue("300000") long maxDelayMs,
            @NotBlank @DefaultValue("access-photos") String photoFolder,
            @DefaultValue("") String strangerPhotoFolder) {

        /** The strangers' folder, or the photo folder when none is set. */
        public String strangerPhotoFolderOrDefault() {
            return strangerPhotoFolder == null || strangerPhotoFolder.isBlank() ? photoFolder : strangerPhotoFolder;
        }
    }

    /**
     * @param threshold No push of either kind for this long -> push-silence alert
     * @param heartbeatInterval How often at most each replica records its latest push in push_heartbeat
     */
    public record Silence(
            @NotNull @DefaultValue("15m") Duration threshold,
            @NotNull @DefaultValue("10s") Duration heartbeatInterval) {
    }
}
