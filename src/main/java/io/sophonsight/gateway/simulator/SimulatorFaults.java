package io.sophonsight.gateway.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Faults the simulator injects into open API calls on request, so tests and benchmarks can
 * prove what the gateway does when the platform fails: HTTP errors, dropped connections,
 * slowness, business refusals, and answers lost after the call was applied. A fault matches
 * calls whose path starts with {@code pathPrefix} (empty = all), lets the first {@code after}
 * matching calls through, then hits the next {@code times} calls ({@code -1} = until cleared).
 */
public class SimulatorFaults {

    /**
     * HTTP_ERROR, DROP, BUSINESS fire before the call is applied (nothing changes on the platform); DELAY
     * waits {@code delayMs}, then applies and answers. APPLY_THEN_DROP applies the call (or refuses it, as
     * usual) and closes the connection without an answer; APPLY_THEN_LATE applies it and answers only after
     * {@code delayMs} (default {@link #LATE_DEFAULT_MS}, past the gateway's default 30 s response timeout):
     * the caller cannot tell whether its call took effect.
     */
    public enum Mode { HTTP_ERROR, DROP, DELAY, BUSINESS, APPLY_THEN_DROP, APPLY_THEN_LATE }

    /** Delay of APPLY_THEN_LATE when none is given: just past the gateway's default response timeout (30 s). */
    public static final long LATE_DEFAULT_MS = 31_000;

    public static final class Fault {
        final Mode mode;
        final String pathPrefix;
        final int httpStatus;
        final int status;
        final String message;
        final long delayMs;
        final String matchField;
        final String matchValue;
        int skip;
        int remaining;

        public Fault(Mode mode, String pathPrefix, int after, int times, int httpStatus, int status, String message,
                     long delayMs, String matchField, String matchValue) {
            this.mode = mode;
            this.pathPrefix = pathPrefix == null ? "" : pathPrefix;
            this.skip = Math.max(0, after);
            this.remaining = times == 0 ? -1 : times;
            this.httpStatus = httpStatus <= 0 ? 503 : httpStatus;
            this.status = status == 0 ? 9999 : status;
            this.message = message == null ? "injected failure" : message;
            this.delayMs = mode == Mode.APPLY_THEN_LATE && delayMs <= 0 ? LATE_DEFAULT_MS : delayMs;
            this.matchField = matchField;
            this.matchValue = matchValue;
        }

        public Mode mode() {
            return mode;
        }

        public int httpStatus() {
            return httpStatus;
        }

        public int status() {
            return status;
        }

        public String message() {
            return message;
        }

        public long delayMs() {
            return delayMs;
        }
    }

    private final List<Fault> faults = new ArrayList<>();
    private final java.util.Map<Mode, Long> injected = new java.util.EnumMap<>(Mode.class);

    public synchronized void add(Fault fault) {
        faults.add(fault);
    }

    public synchronized void clear() {
        faults.clear();
    }

    public synchronized int size() {
        return faults.size();
    }

    /** How many calls got a fault of this mode since start-up (never reset: tests take differences). */
    public synchronized long injected(Mode mode) {
        return injected.getOrDefault(mode, 0L);
    }

    /** The fault to apply to this call, if any; consumes one use of it. */
    synchronized Fault next(String path, com.fasterxml.jackson.databind.JsonNode body) {
        for (var it = faults.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (!path.startsWith(fault.pathPrefix)) {
                continue;
            }
            if (fault.matchField != null && (body == null || !fault.matchValue.equals(body.path(fault.matchField).asText()))) {
                continue;
            }
            if (fault.skip > 0) {
                fault.skip--;
                continue;
            }
            if (fault.remaining > 0 && --fault.remaining == 0) {
                it.remove();
            }
            injected.merge(fault.mode, 1L, Long::sum);
            return fault;
        }
        return null;
    }
}
