package io.sophonsight.gateway.hr;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code hr.*} keys Java reads: the sample HR data, where photos come from, and how a sync run is sized and
 * guarded. The HR database ({@code hr.datasource.*}) binds to Spring's DataSourceProperties; the customer SQL
 * ({@code hr.sql.*}) and the schedules are read by the routes.
 *
 * @param sample The sample HR tables of the demo
 * @param photo Face photos of HR people
 * @param sync A sync run
 */
@Validated
@ConfigurationProperties("hr")
public record HrProperties(
        @Valid @DefaultValue Sample sample,
        @Valid @DefaultValue Photo photo,
        @Valid @DefaultValue Sync sync) {

    /**
     * @param enabled Create and fill the sample HR tables in the HR database on first start; false for a real HR
     * @param people Number of people in the sample
     */
    public record Sample(@DefaultValue("true") boolean enabled, @Min(0) @DefaultValue("200") int people) {
    }

    /**
     * @param source Where face photos come from: blob (column photo holds the bytes) or path (column photo_path names a file)
     * @param baseDir The only folder photo_path may name a file in (source=path)
     * @param maxBytes Largest photo uploaded (bytes, file or blob); a larger one rejects the person instead of being read whole
     */
    public record Photo(
            @Pattern(regexp = "blob|path", message = "must be blob or path") @DefaultValue("blob") String source,
            @NotBlank @DefaultValue("./data/hr-photos") String baseDir,
            @Min(1) @DefaultValue("2097152") long maxBytes) {
    }

    /**
     * @param dryRun Compute and log the plan of every run but call nothing (also per run: header HrSyncDryRun=true)
     * @param parallelism People sent to the platform at the same time within a run (orgs and deletes stay sequential)
     * @param batchSize People read, planned and sent per batch: bounds a run's memory whatever the size of HR
     * @param deleteBatchSize Ids per delete call; the platform accepts at most 50
     * @param maxIdLength Longest thirdId the platform accepts; longer HR ids are rejected locally
     * @param progressInterval How often a long run logs done/total, rate and ETA
     * @param watermarkOverlap Incremental runs re-read this much before the watermark, for HR transactions that committed late
     * @param runRetention How long sync_run rows (the audit trail of runs) are kept
     * @param deletion The guard against mass deletes
     */
    public record Sync(
            @DefaultValue("false") boolean dryRun,
            @Min(1) @DefaultValue("4") int parallelism,
            @Min(1) @DefaultValue("500") int batchSize,
            @Min(1) @jakarta.validation.constraints.Max(50) @DefaultValue("50") int deleteBatchSize,
            @Min(1) @DefaultValue("100") int maxIdLength,
            @NotNull @DefaultValue("10s") Duration progressInterval,
            @NotNull @DefaultValue("60s") Duration watermarkOverlap,
            @NotNull @DefaultValue("90d") Duration runRetention,
            @Valid @DefaultValue Deletion deletion) {
    }

    /**
     * @param thresholdPercent A run deleting more than this share (percent) of the known people or orgs holds its deletes
     *                         until confirmed
     * @param confirmed True = never hold deletes (e.g. after a planned reorganisation)
     */
    public record Deletion(
            @DecimalMin("0") @DecimalMax("100") @DefaultValue("20") double thresholdPercent,
            @DefaultValue("false") boolean confirmed) {
    }
}
