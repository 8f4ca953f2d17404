package io.sophonsight.gateway.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.sophonsight.gateway.simulator.SimulatorProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The key the platform must put in the push URLs ({@code ?key=}); the platform's event-report
 * settings take only a URL, so the key travels there. It comes only from the environment
 * ({@code GATEWAY_PUSH_KEY}). With the built-in simulator on and no key set, a random key is
 * generated for this process and shared with the simulator's push URLs; against a real platform
 * a missing key stops start-up, so the receivers are never open by accident.
 */
@Component("pushKey")
public class PushKey {

    private static final Logger LOG = LoggerFactory.getLogger(PushKey.class);
    private static final int MIN_LENGTH = 16;

    private final String key;
    private final byte[] keyDigest;

    @Autowired
    public PushKey(PushProperties push, SimulatorProperties simulator) {
        this(push.key(), simulator.enabled());
    }

    public PushKey(String configured, boolean simulatorEnabled) {
        if (configured == null || configured.isBlank()) {
            if (!simulatorEnabled) {
                throw new IllegalStateException("GATEWAY_PUSH_KEY is not set: it is required when the built-in "
                        + "simulator is off (the push receivers never run without a key)");
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            this.key = HexFormat.of().formatHex(random);
            LOG.info("GATEWAY_PUSH_KEY not set: generated a per-process push key shared with the built-in simulator");
        } else {
            this.key = configured.trim();
            if (key.length() < MIN_LENGTH) {
                LOG.warn("GATEWAY_PUSH_KEY is shorter than {} characters: use a long random value", MIN_LENGTH);
            }
        }
        this.keyDigest = digest(key);
    }

    /** Constant-time comparison (digests of equal length, so neither content nor length leaks through timing). */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(keyDigest, digest(candidate));
    }

    /** The key itself, for the built-in simulator's push URLs only. Never log it. */
    public String value() {
        return key;
    }

    /** {@code url} with {@code key=} appended when it carries none (the simulator's default URLs). */
    public String addTo(String url) {
        if (url == null || url.isBlank() || url.matches(".*[?&]key=.*")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "key=" + key;
    }

    /** Masks any {@code key=} query value in a text meant for a log line. */
    public static String mask(String text) {
        return text == null ? null : text.replaceAll("([?&]key=)[^&\\s\"]*", "$1****");
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "PushKey[****]";
    }
}
