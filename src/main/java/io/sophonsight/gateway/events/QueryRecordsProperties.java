package io.sophonsight.gateway.events;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code query.records.*} keys Java reads: paging and windows of the access-record pollers (the per-kind crons
 * and photo switches are read by the routes).
 *
 * @param pageSize Records asked for per page of the record queries
 * @param maxPages Safety stop: a window needing more pages than this fails (watermark kept) instead of paging forever
 * @param maxRereads A window whose distinct records fall short of totalCount is read again this often before the run fails
 * @param overlap Each window starts this long before the last watermark, to catch records the platform learned late
 * @param firstLookback How far back the first run of a kind looks (no watermark yet)
 */
@Validated
@ConfigurationProperties("query.records")
public record QueryRecordsProperties(
        @Min(1) @DefaultValue("100") int pageSize,
        @Min(1) @DefaultValue("10000") int maxPages,
        @Min(0) @DefaultValue("5") int maxRereads,
        @NotNull @DefaultValue("10m") Duration overlap,
        @NotNull @DefaultValue("24h") Duration firstLookback) {
}
