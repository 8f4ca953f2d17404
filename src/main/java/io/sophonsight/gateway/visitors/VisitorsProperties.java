package io.sophonsight.gateway.visitors;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code visitors.*} keys Java reads: the visitor API's path, photo limits and folders, and the retry timing of
 * registrations the platform could not take.
 *
 * @param api The visitor REST API
 * @param photo Visitor photos
 * @param retry Retries of pending registrations
 * @param intake The visitor request table
 */
@Validated
@ConfigurationProperties("visitors")
public record VisitorsProperties(
        @Valid @DefaultValue Api api,
        @Valid @DefaultValue Photo photo,
        @Valid @DefaultValue Retry retry,
        @Valid @DefaultValue Intake intake) {

    /**
     * @param path Base path of the visitor REST API: POST registers a visitor, GET path/id reads a registration
     */
    public record Api(@NotBlank @Pattern(regexp = "/.*", message = "must start with /") @DefaultValue("/api/visitors") String path) {
    }

    /**
     * @param maxBytes Largest accepted visitor photo in bytes (decoded image); larger ones get 400
     * @param folder Where photos wait until the platform has the visitor (deleted once the registration is final)
     */
    public record Photo(
            @Min(1) @DefaultValue("2097152") long maxBytes,
            @NotBlank @DefaultValue("./data/visitors/photos") String folder) {
    }

    /**
     * @param initialDelayMs Wait before retrying a registration the platform could not take; doubles per attempt
     * @param maxDelayMs Upper bound of that wait, so a long outage is still probed regularly
     * @param giveUpAfter Give up (FAILED) this long after acceptance, or at the end of the visit if that comes first
     * @param lease How long one attempt holds a registration; after a crash it becomes due again once this expires
     */
    public record Retry(
            @Min(0) @DefaultValue("60000") long initialDelayMs,
            @Min(0) @DefaultValue("900000") long maxDelayMs,
            @NotNull @DefaultValue("PT24H") Duration giveUpAfter,
            @NotNull @DefaultValue("PT5M") Duration lease) {
    }

    /**
     * @param photoFolder Folder that photo_path values are read from; paths outside it are refused
     */
    public record Intake(@NotBlank @DefaultValue("./data/visitors/incoming") String photoFolder) {
    }
}
