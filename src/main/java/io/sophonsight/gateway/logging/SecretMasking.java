package io.sophonsight.gateway.logging;

import java.util.regex.Pattern;

import io.sophonsight.gateway.sophonsight.SophonSightToken;

/**
 * What every log line has masked, in the text and the JSON format alike: the push key of a push URL ({@code ?key=} /
 * {@code &key=}) and the platform's call tokens ({@code token=}, first four characters kept). The text format applies
 * the same expression through {@code logging.pattern.console} ({@code %replace}); the JSON format through
 * {@link MaskingJsonMembersCustomizer}.
 */
public final class SecretMasking {

    /** The push key in a URL; application.yaml's logging.pattern.console uses this very expression. */
    public static final String KEY_IN_URL = "([?&]key=)[^&\\s\"]+";

    private static final Pattern KEY = Pattern.compile(KEY_IN_URL);

    private SecretMasking() {
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return SophonSightToken.maskInText(KEY.matcher(text).replaceAll("$1****"));
    }
}
