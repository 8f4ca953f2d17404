package io.sophonsight.gateway.sophonsight;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The platform's signature rule (docs/sophonsight-openapi.md §1): {@code UPPERCASE_HEX(MD5(URI + BODY + secret))}.
 * Works on the exact body bytes that go on the wire, never on a re-serialisation.
 */
public final class SophonSightToken {

    private static final Pattern TOKEN_IN_URL = Pattern.compile("(token=)([0-9A-Fa-f]{4})[0-9A-Fa-f]*");

    private SophonSightToken() {
    }

    public static String compute(String uri, byte[] body, String secret) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(uri.getBytes(StandardCharsets.UTF_8));
            md5.update(body);
            md5.update(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every JRE", e);
        }
    }

    /** Constant-time comparison, so a caller cannot learn a token byte by byte from timing. */
    public static boolean matches(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.toUpperCase().getBytes(StandardCharsets.US_ASCII),
                actual.toUpperCase().getBytes(StandardCharsets.US_ASCII));
    }

    /** For log lines: keeps the first four characters of a token so calls can be told apart. */
    public static String mask(String token) {
        if (token == null || token.isEmpty()) {
            return "<none>";
        }
        return token.substring(0, Math.min(4, token.length())) + "****";
    }

    /** Masks any {@code token=...} query parameter inside a URL or message text. */
    public static String maskInText(String text) {
        return text == null ? null : TOKEN_IN_URL.matcher(text).replaceAll("$1$2****");
    }
}
