package io.sophonsight.gateway.common;

/** Text cut to fit a column, a log line or an answer. */
public final class Text {

    /** Marks where a text was cut. */
    public static final String ELLIPSIS = "…";

    private Text() {
    }

    /**
     * {@code text} itself when it has at most {@code max} characters, else its first {@code max - 1} characters and
     * {@link #ELLIPSIS}: never longer than {@code max}, so it fits a column of that size. Null stays null.
     */
    public static String truncate(String text, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never half a character (an emoji from HR or a request)
        }
        return text.substring(0, end) + ELLIPSIS;
    }
}
