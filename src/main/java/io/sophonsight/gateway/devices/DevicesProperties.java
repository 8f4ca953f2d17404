package io.sophonsight.gateway.devices;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code devices.*} keys Java reads: the paging of the device inventory.
 *
 * @param inventory Paging of the inventory pass over the platform's device list
 */
@Validated
@ConfigurationProperties("devices")
public record DevicesProperties(@Valid @DefaultValue Inventory inventory) {

    /**
     * @param pageSize Devices asked for per page of /openapi/v1/cross/search
     * @param maxPages Safety stop: a pass needing more pages than this fails (and marks nothing removed)
     * @param maxRereads A pass whose distinct devices fall short of totalSize is read again this often before it fails
     */
    public record Inventory(
            @Min(1) @DefaultValue("100") int pageSize,
            @Min(1) @DefaultValue("1000") int maxPages,
            @Min(0) @DefaultValue("5") int maxRereads) {
    }
}
