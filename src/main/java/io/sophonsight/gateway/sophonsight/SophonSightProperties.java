package io.sophonsight.gateway.sophonsight;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code sophonsight.*} keys: where the SophonSight platform is, who the gateway is there, and how a failed
 * call is retried (the {@code sophonsight-retry} route configuration reads {@code retry.*} through placeholders).
 *
 * @param baseUrl Address of the SophonSight platform; defaults to the built-in simulator
 * @param appkey Caller id created in the platform UI (Access management -> SDK management)
 * @param secret Signing secret: environment only; if unset with the simulator on, a per-process secret is generated
 * @param notFoundStatuses Envelope statuses meaning "no such id" on a delete: such a refusal counts as deleted
 * @param retry Retries of a call the platform could not take (unreachable or 5xx)
 */
@Validated
@ConfigurationProperties("sophonsight")
public record SophonSightProperties(
        @NotBlank @DefaultValue("http://localhost:9061") String baseUrl,
        @NotBlank @DefaultValue("gateway-demo") String appkey,
        @DefaultValue("") String secret,
        @DefaultValue("3006") List<String> notFoundStatuses,
        @Valid @DefaultValue Retry retry) {

    /**
     * @param maxRedeliveries Extra attempts after a call fails because the platform is unreachable or answers 5xx
     * @param initialDelayMs Delay before the first retry, multiplied by backoff-multiplier for each next one
     * @param backoffMultiplier Growth factor of the delay between retries (exponential backoff)
     * @param maxDelayMs Upper bound of one delay between retries, so a long outage is probed regularly
     */
    public record Retry(
            @Min(0) @DefaultValue("4") int maxRedeliveries,
            @Min(0) @DefaultValue("500") long initialDelayMs,
            @DecimalMin("1") @DefaultValue("2") double backoffMultiplier,
            @Min(0) @DefaultValue("10000") long maxDelayMs) {
    }
}
