package io.sophonsight.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The two REST keys, each for its own scope:
 * <ul>
 *   <li>{@code GATEWAY_API_KEY}: the day-to-day API (visitors, devices, photos), e.g. a reception kiosk;</li>
 *   <li>{@code GATEWAY_ADMIN_KEY}: operator actions (HR sync runs and status, confirming held deletes, resolving
 *       an UNCERTAIN visitor registration, the
 *       dead-letter replay). The admin key also opens the API paths: an operator looking into a visitor
 *       registration needs no second key, while a kiosk key never reaches an admin action.</li>
 * </ul>
 * Against a real platform (simulator off) both are required at start-up. Beside the built-in simulator (the
 * one-command demo) a key that is not set leaves its paths open, with a WARN at start-up.
 */
@Component
public class GatewayKeys {

    /** What a presented key may do. */
    public enum Grant { NONE, API, ADMIN }

    private static final Logger LOG = LoggerFactory.getLogger(GatewayKeys.class);
    private static final int MIN_LENGTH = 16;

    private final byte[] apiDigest;
    private final byte[] adminDigest;

    public GatewayKeys(@Value("${gateway.api.key:}") String apiKey,
                       @Value("${gateway.api.admin-key:}") String adminKey,
                       @Value("${simulator.enabled:false}") boolean simulatorEnabled) {
        this.apiDigest = digestOf(apiKey, "GATEWAY_API_KEY", "the REST API (visitors, devices, photos)", simulatorEnabled);
        this.adminDigest = digestOf(adminKey, "GATEWAY_ADMIN_KEY",
                "the admin paths (HR sync runs, confirming deletes, resolving uncertain visitors, dead-letter replay)", simulatorEnabled);
        if (apiDigest != null && adminDigest != null && MessageDigest.isEqual(apiDigest, adminDigest)) {
            throw new IllegalStateException("GATEWAY_API_KEY and GATEWAY_ADMIN_KEY are the same value: "
                    + "give the admin key its own value, or a kiosk could confirm HR deletes");
        }
    }

    /** True when the API paths need a key (false only in the demo without GATEWAY_API_KEY). */
    public boolean apiGuarded() {
        return apiDigest != null;
    }

    /** True when the admin paths need a key (false only in the demo without GATEWAY_ADMIN_KEY). */
    public boolean adminGuarded() {
        return adminDigest != null;
    }

    /** What the presented key grants; constant-time comparisons of equal-length digests. */
    public Grant grantOf(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Grant.NONE;
        }
        byte[] digest = digest(presented);
        boolean admin = adminDigest != null && MessageDigest.isEqual(adminDigest, digest);
        boolean api = apiDigest != null && MessageDigest.isEqual(apiDigest, digest);
        return admin ? Grant.ADMIN : api ? Grant.API : Grant.NONE;
    }

    private static byte[] digestOf(String key, String variable, String scope, boolean simulatorEnabled) {
        if (key == null || key.isBlank()) {
            if (!simulatorEnabled) {
                throw new IllegalStateException(variable + " is not set: it is required when the built-in simulator "
                        + "is off (" + scope + " never runs open against a real platform)");
            }
            LOG.warn("{} not set: {} is open, as for the demo with the built-in simulator; set it before anyone "
                    + "else can reach this port", variable, scope);
            return null;
        }
        if (key.trim().length() < MIN_LENGTH) {
            LOG.warn("{} is shorter than {} characters: use a long random value", variable, MIN_LENGTH);
        }
        return digest(key.trim());
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
