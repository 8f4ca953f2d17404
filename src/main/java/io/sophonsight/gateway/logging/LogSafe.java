package io.sophonsight.gateway.logging;

/**
 * Escapes what would let a logged value forge log lines: CR, LF and every other control character (and the Unicode
 * line and paragraph separators) become visible escapes ({@code \r}, {@code \n}, {@code \t}, {@code \u001b}), so a
 * value from HR, the platform or a request stays inside its own line. Applied to every log message and exception
 * message by {@link LogSafeMessageConverter} and {@link LogSafeThrowableConverter} ({@code logback-spring.xml}), so
 * Java code, Camel's log steps and libraries are covered alike without each call site remembering it.
 */
public final class LogSafe {

    private LogSafe() {
    }

    /** {@code text} with control characters escaped; the same instance when there is nothing to escape. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (unsafe(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean unsafe(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
