package io.sophonsight.gateway.retention;

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
 * The {@code retention.*} keys. The purge route (routes/data-retention.camel.yaml) and the H2 compaction timer read them
 * through placeholders; bound here so a negative period or a zero batch stops start-up instead of the nightly purge.
 *
 * @param enabled Run the scheduled purge at all (false = keep everything; direct:data-retention still purges on demand)
 * @param cron When the purge runs (Quartz cron, seconds first)
 * @param imagesDays Days the photo files of passes are kept; 0 = for ever
 * @param accessEventsDays Days access events and their records are kept (also the dedupe horizon); 0 = for ever
 * @param deadLettersDays Days dead letters are kept, replayed or not; 0 = for ever
 * @param deviceHistoryDays Days device status changes are kept; 0 = for ever
 * @param photoCacheDays Days a downloaded platform photo stays in the cache; 0 = for ever
 * @param batchSize Rows deleted per transaction, so a purge never holds long locks against the pushes
 * @param h2Compaction Rewriting of the embedded H2 file's sparse chunks
 */
@Validated
@ConfigurationProperties("retention")
public record RetentionProperties(
        @DefaultValue("true") boolean enabled,
        @NotBlank @DefaultValue("0 15 3 * * ?") String cron,
        @Min(0) @DefaultValue("30") int imagesDays,
        @Min(0) @DefaultValue("90") int accessEventsDays,
        @Min(0) @DefaultValue("90") int deadLettersDays,
        @Min(0) @DefaultValue("90") int deviceHistoryDays,
        @Min(0) @DefaultValue("7") int photoCacheDays,
        @Min(1) @DefaultValue("1000") int batchSize,
        @Valid @DefaultValue H2Compaction h2Compaction) {

    /**
     * @param enabled Rewrite the embedded H2 file's sparse chunks so it stops growing; no effect on PostgreSQL
     * @param interval How often the sparse chunks are looked at
     * @param targetFillRate Rewrite only while less than this percentage of the chunks' bytes is live
     * @param writeMb Live data copied forward per run at most (MB): bounds the pause it adds to the pushes' commits
     */
    public record H2Compaction(
            @DefaultValue("true") boolean enabled,
            @NotNull @DefaultValue("10s") Duration interval,
            @Min(1) @Max(100) @DefaultValue("80") int targetFillRate,
            @Min(1) @DefaultValue("16") int writeMb) {
    }
}
