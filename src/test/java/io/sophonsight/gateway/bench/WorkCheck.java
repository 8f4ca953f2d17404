package io.sophonsight.gateway.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a benchmark counted as done against what it left behind, e.g. pushes answered "200 SUCCESS" against new
 * {@code access_event} rows, or people synced against photo uploads. A rate is only worth reporting when the two
 * are equal: a duplicate is acknowledged too but stores nothing, and a retry uploads twice; such a run is
 * reported as invalid.
 *
 * @param measurement the measurement it belongs to, e.g. "small events, 8 clients / gateway, fan-out running"
 * @param claimed     the work counted for the rate, e.g. 12,000
 * @param claimedAs   what that is, e.g. "acknowledged events"
 * @param done        the work found afterwards
 * @param doneAs      what that is, e.g. "new access_event rows"
 */
public record WorkCheck(String measurement, long claimed, String claimedAs, long done, String doneAs) {

    public boolean valid() {
        return claimed == done;
    }

    /** e.g. {@code small events / baseline: 1,000 acknowledged events = 1,000 new rows}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %,d %s %s %,d %s", measurement, claimed, claimedAs,
                valid() ? "=" : "≠", done, doneAs);
    }

    /** The report's line on the checks: a valid run, or INVALID with every check that failed. */
    public static String verdict(List<WorkCheck> checks) {
        List<WorkCheck> failed = checks.stream().filter(c -> !c.valid()).toList();
        if (failed.isEmpty()) {
            return "Work check: valid run (" + checks.size() + " measurements, each counted work found done)";
        }
        return "**INVALID RUN**: the counted work was not done, the rates above do not count real work: "
                + failed.stream().map(WorkCheck::describe).collect(Collectors.joining("; "));
    }

    /** Nothing for a valid check; otherwise a mark for the report's row, e.g. " (INVALID RUN: 10 people ≠ 12 uploads)". */
    public String mark() {
        return valid() ? "" : " (INVALID RUN: " + describe() + ")";
    }

    public static boolean allValid(List<WorkCheck> checks) {
        return checks.stream().allMatch(WorkCheck::valid);
    }
}
