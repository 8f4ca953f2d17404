package io.sophonsight.gateway.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * How the simulated platform pages its lists (device search, record queries). The published docs
 * give {@code pageSize} a default of 20 and say nothing of a maximum, of the sort order, or of what
 * happens when the list changes while it is read, so the simulator can play every reading; tests set
 * them through {@link SophonSightSimulator#paging()}, demos through {@code POST /simulator/paging},
 * and {@code simulator.paging.*} sets them at start-up. Defaults (all off) are the simulator's
 * historic behaviour: ascending order, any page size, a stable list, {@code totalCount} given.
 *
 * <ul>
 *   <li>{@code pageSizeCap}: pages hold at most this many items, and page {@code index} starts at
 *       {@code (index - 1) * min(pageSize, cap)} (0 = no cap);</li>
 *   <li>{@code descending}: newest first (by {@code crossTime}, devices by {@code createTime});</li>
 *   <li>{@code reorder}: items with the same sort key come back in a different order on every call,
 *       as a database ORDER BY on a non-unique column does under LIMIT/OFFSET;</li>
 *   <li>{@code insertPerCall} / {@code insertCalls}: before each of the next {@code insertCalls} list
 *       calls, {@code insertPerCall} new items are added at the head of the list in its current order
 *       (records inside the asked window: late uploads), shifting every item behind them;</li>
 *   <li>{@code omitTotal}: no {@code totalCount} / {@code totalSize} in the answers.</li>
 * </ul>
 */
public class SimulatorPaging {

    /** The switches; a record so tests can set several at once. */
    public record Settings(int pageSizeCap, boolean descending, boolean reorder, int insertPerCall, int insertCalls,
                           boolean omitTotal) {

        public static final Settings DEFAULT = new Settings(0, false, false, 0, 0, false);

        public Settings withPageSizeCap(int cap) {
            return new Settings(cap, descending, reorder, insertPerCall, insertCalls, omitTotal);
        }

        public Settings withDescending(boolean newestFirst) {
            return new Settings(pageSizeCap, newestFirst, reorder, insertPerCall, insertCalls, omitTotal);
        }

        public Settings withReorder(boolean unstableTies) {
            return new Settings(pageSizeCap, descending, unstableTies, insertPerCall, insertCalls, omitTotal);
        }

        public Settings withInserts(int perCall, int calls) {
            return new Settings(pageSizeCap, descending, reorder, perCall, calls, omitTotal);
        }

        public Settings withOmitTotal(boolean omit) {
            return new Settings(pageSizeCap, descending, reorder, insertPerCall, insertCalls, omit);
        }
    }

    private final Settings initial;
    private Settings settings;
    private long calls;
    private int insertCallsLeft;

    public SimulatorPaging(Settings initial) {
        this.initial = initial;
        set(initial);
    }

    public synchronized Settings settings() {
        return settings;
    }

    /** New switches; restarts the reorder sequence and the insert budget. */
    public synchronized void set(Settings next) {
        if (next.pageSizeCap() < 0 || next.insertPerCall() < 0 || next.insertCalls() < 0) {
            throw new IllegalArgumentException("pageSizeCap, insertPerCall and insertCalls must not be negative");
        }
        settings = next;
        calls = 0;
        insertCallsLeft = next.insertCalls();
    }

    /** Back to the switches of start-up ({@code simulator.paging.*}). */
    public synchronized void reset() {
        set(initial);
    }

    /** Whether the answers carry the list's total. */
    public synchronized boolean giveTotal() {
        return !settings.omitTotal();
    }

    /** How many items to add before this call (0 once the insert budget is spent); counts the call. */
    synchronized int insertsBeforeCall() {
        calls++;
        if (insertCallsLeft <= 0 || settings.insertPerCall() == 0) {
            return 0;
        }
        insertCallsLeft--;
        return settings.insertPerCall();
    }

    synchronized boolean descending() {
        return settings.descending();
    }

    /**
     * The list in this call's order: by {@code sortKey} (ascending or descending), ties in a fixed
     * order or, with {@code reorder}, in an order that changes from call to call.
     */
    synchronized <T> List<T> order(List<T> items, ToLongFunction<T> sortKey, Function<T, String> identity) {
        long call = calls;
        Comparator<T> bySortKey = Comparator.comparingLong(sortKey);
        if (settings.descending()) {
            bySortKey = bySortKey.reversed();
        }
        Comparator<T> order = settings.reorder()
                ? bySortKey.thenComparingInt(item -> mix(identity.apply(item), call))
                : bySortKey;
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(order);
        return sorted;
    }

    /** The items of page {@code index} of {@code pageSize} (after the cap). */
    synchronized <T> List<T> page(List<T> all, int index, int pageSize) {
        int size = settings.pageSizeCap() > 0 ? Math.min(pageSize, settings.pageSizeCap()) : pageSize;
        long from = (long) (index - 1) * size;
        if (from >= all.size()) {
            return List.of();
        }
        return all.subList((int) from, (int) Math.min(all.size(), from + size));
    }

    /** A pseudo-random but repeatable position of an item among its ties in one call. */
    private static int mix(String identity, long call) {
        long h = identity.hashCode() * 0x9E3779B97F4A7C15L + call * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 29));
    }
}
