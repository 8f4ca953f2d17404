package io.sophonsight.gateway.common;

import io.sophonsight.gateway.logging.LogSafe;
import io.sophonsight.gateway.logging.SecretMasking;
import io.sophonsight.gateway.sophonsight.SophonSightCallException;

/**
 * The reason a failure leaves behind wherever it outlives the log line: a table column (sync_state, sync_run,
 * visitor_registration, the fan-out outbox, dead_letter), a run summary, an HTTP answer. Always masked with the
 * logging rules ({@link SecretMasking}: push keys, platform tokens), on one line ({@link LogSafe}: control characters
 * escaped), and short ({@link Text#truncate}).
 */
public final class FailureReason {

    /** Default length of a reason: the columns that keep one are 2000 characters or more. */
    public static final int MAX = 1000;

    private FailureReason() {
    }

    /**
     * The reason of {@code failure}: a platform call's failure anywhere in the cause chain speaks for itself (its message
     * names the call and what went wrong); any other failure is its class and message, plus its root cause when a
     * wrapper hides it (Spring's UncategorizedJmsException, Camel's RuntimeCamelException).
     */
    public static String of(Throwable failure) {
        return of(failure, MAX);
    }

    /** {@link #of(Throwable)} cut to {@code max} characters. */
    public static String of(Throwable failure, int max) {
        if (failure == null) {
            return "unknown failure";
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SophonSightCallException call) {
                return text(call.getMessage(), max);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = describe(failure);
        return text(root == failure ? reason : reason + " (cause " + describe(root) + ")", max);
    }

    /** A reason already in words (a platform message, a validation text): masked, one line, at most {@link #MAX}. */
    public static String text(String reason) {
        return text(reason, MAX);
    }

    /** {@link #text(String)} cut to {@code max} characters. Null stays null. */
    public static String text(String reason, int max) {
        return Text.truncate(LogSafe.escape(SecretMasking.mask(reason)), max);
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
