package io.sophonsight.gateway.sophonsight;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reading one of the platform's paged lists ({@code index} from 1, {@code pageSize}) to an end that
 * can be proven. The published docs leave open what matters for that: the largest page the platform
 * gives (default 20, no maximum stated), the sort order, and whether the list moves while it is read.
 * So a reading never trusts a short page to be the last one:
 * <ul>
 *   <li><b>complete</b> only when the distinct items read equal the platform's total (the total of
 *       the last page; new items may raise it while the list is read), or, when the platform gives no
 *       total, when a page comes back empty;</li>
 *   <li>a <b>short page</b> is not the end: a short page 1 is a page-size cap, whose size is learned and
 *       asked for from page 2 on (page 1 holds the same items under every cap); a short later page
 *       before the total's end means the cap changed: the list is read again from page 1 with the new
 *       size, because the platform's offsets of the pages already read are then unknown. Without a
 *       total (or with the ambiguous one) a short later page is most likely the last, and the empty
 *       page after it proves it;</li>
 *   <li>items that <b>shift between pages</b> (added or reordered while the list is read) are read
 *       twice (returned once: {@link #accept} says which items are new to this reading) or not at
 *       all: when a pass over the list reaches its end with fewer distinct items than the total, the
 *       list is read again from page 1, up to {@code maxRereads} times;</li>
 *   <li>a reading that cannot prove it saw everything ends {@link Step#INCOMPLETE} with a reason.</li>
 * </ul>
 *
 * <p>{@link TotalMeaning#ROWS_OR_PAGES} is for a total the docs describe ambiguously (device search's
 * {@code totalSize}: "pages" in the table, a row count in the example). Then only an empty page ends a
 * pass, and the total proves it either as rows (distinct items) or as pages (non-empty pages of that
 * pass, when fewer than the items).
 *
 * <p>Not thread-safe: one reading belongs to one run of one route.
 */
public final class PagedReading {

    /** What the caller does next. */
    public enum Step { NEXT_PAGE, COMPLETE, INCOMPLETE }

    /** What the platform's total counts. */
    public enum TotalMeaning { ROWS, ROWS_OR_PAGES }

    private final String what;
    private final TotalMeaning meaning;
    private final int maxPages;
    private final int maxRereads;
    private final Set<String> seen = new HashSet<>();
    private final Set<String> seenThisPass = new HashSet<>();
    private int pageSize;
    private int index = 1;
    private int pages;
    private int pass;
    private int nonEmptyPagesThisPass;
    private int unkeyedThisPass;
    private int unkeyedMostInAPass;
    private long returned;
    private long total = -1;
    private List<String> previousPage = List.of();
    private Step step = Step.NEXT_PAGE;
    private String reason;

    /**
     * @param what       names the list in reasons, e.g. "the employee records of window … .. …"
     * @param pageSize   the page size asked for first (a platform that caps it teaches a smaller one)
     * @param maxPages   pages after which the reading gives up (a platform that never ends a list)
     * @param maxRereads how often the whole list may be read again to find items that moved
     */
    public PagedReading(String what, TotalMeaning meaning, int pageSize, int maxPages, int maxRereads) {
        if (pageSize < 1 || maxPages < 1 || maxRereads < 0) {
            throw new IllegalArgumentException("page size and max pages must be positive, max re-reads not negative");
        }
        this.what = what;
        this.meaning = meaning;
        this.pageSize = pageSize;
        this.maxPages = maxPages;
        this.maxRereads = maxRereads;
    }

    /** Index of the next page to ask for (from 1). */
    public int index() {
        return index;
    }

    /** Page size to ask for: the configured one, or the smaller one the platform was seen to give. */
    public int pageSize() {
        return pageSize;
    }

    /**
     * Takes one page: the keys of its items in order ({@code null} for an item that has no usable key;
     * it counts towards the total but cannot be told apart) and the platform's total ({@code null} when
     * absent). Returns, per item, whether it is new to this reading; {@link #step()} then says what follows.
     */
    public List<Boolean> accept(List<String> keys, Long platformTotal) {
        if (step != Step.NEXT_PAGE) {
            throw new IllegalStateException("the reading of " + what + " has ended (" + step + ")");
        }
        pages++;
        returned += keys.size();
        if (platformTotal != null) {
            total = platformTotal;
        }
        List<Boolean> fresh = new ArrayList<>(keys.size());
        int unkeyed = 0;
        for (String key : keys) {
            if (key == null) {
                unkeyed++;
                fresh.add(true);
            } else {
                seenThisPass.add(key);
                fresh.add(seen.add(key));
            }
        }
        unkeyedThisPass += unkeyed;
        unkeyedMostInAPass = Math.max(unkeyedMostInAPass, unkeyedThisPass);
        if (!keys.isEmpty()) {
            nonEmptyPagesThisPass++;
        }
        decide(keys);
        if (step == Step.NEXT_PAGE && pages >= maxPages) {
            end(Step.INCOMPLETE, "still not complete after " + pages + " pages (the max-pages setting)");
        }
        previousPage = keys;
        return fresh;
    }

    private void decide(List<String> keys) {
        int size = keys.size();
        boolean knownTotal = total >= 0;
        if (knownTotal && meaning == TotalMeaning.ROWS && provenAsRows()) {
            end(Step.COMPLETE, null);
            return;
        }
        if (size == 0) {
            endOfPass(true);
            return;
        }
        if (index > 1 && size >= pageSize && keys.equals(previousPage)) {
            end(Step.INCOMPLETE, "page " + index + " repeats page " + (index - 1)
                    + " (the platform seems to ignore 'index'); the list cannot be read to its end");
            return;
        }
        long positionsRead = (long) (index - 1) * pageSize + size;
        if (knownTotal && meaning == TotalMeaning.ROWS && positionsRead >= total) {
            endOfPass(false);
            return;
        }
        if (size < pageSize) {
            if (index == 1) {
                // a short first page that may not be the end: a cap; page 1 holds the same items under any cap
                pageSize = size;
                index = 2;
            } else if (knownTotal && meaning == TotalMeaning.ROWS) {
                // short before the total's end: the cap changed, the offsets of the pages read are unknown
                pageSize = size;
                startPass();
            } else {
                index++; // most likely the last page; only an empty one proves it
            }
            return;
        }
        if (size > pageSize && index > 1) {
            // larger than asked (pageSize ignored): the offsets of earlier pages are unknown, read again
            pageSize = size;
            startPass();
            return;
        }
        pageSize = Math.max(pageSize, size);
        index++;
    }

    private boolean provenAsRows() {
        return seen.size() + unkeyedMostInAPass == total || seenThisPass.size() + unkeyedThisPass == total;
    }

    /** A pass over the list reached its end (an empty page, or as many positions as the total). */
    private void endOfPass(boolean emptyPage) {
        if (total < 0) {
            if (emptyPage) {
                end(Step.COMPLETE, null);
            } else {
                startPass();
            }
            return;
        }
        if (provenAsRows()) {
            end(Step.COMPLETE, null);
            return;
        }
        if (meaning == TotalMeaning.ROWS_OR_PAGES && nonEmptyPagesThisPass == total && total < seen.size()) {
            end(Step.COMPLETE, null); // the total counts pages
            return;
        }
        if (pass < maxRereads) {
            pass++;
            startPass();
            return;
        }
        end(Step.INCOMPLETE, "read " + (seen.size() + unkeyedMostInAPass) + " distinct items but the platform reports a total of "
                + total + " after " + pass + " re-reads of the whole list (" + pages + " pages of up to " + pageSize
                + "); items moved or were added or removed while the list was read");
    }

    private void startPass() {
        index = 1;
        seenThisPass.clear();
        unkeyedThisPass = 0;
        nonEmptyPagesThisPass = 0;
        previousPage = List.of();
    }

    private void end(Step outcome, String why) {
        step = outcome;
        reason = why == null ? null : "the reading of " + what + " cannot be proven complete: " + why;
    }

    /** What follows the last page accepted. */
    public Step step() {
        return step;
    }

    /** Why the reading is {@link Step#INCOMPLETE}; null otherwise. */
    public String reason() {
        return reason;
    }

    /** Pages read, re-reads included. */
    public int pages() {
        return pages;
    }

    /** Times the list was read again from page 1 to find items that moved. */
    public int rereads() {
        return pass;
    }

    /** Items the platform returned, re-read ones included. */
    public long returned() {
        return returned;
    }

    /** Distinct keyed items read. */
    public int distinct() {
        return seen.size();
    }

    /** The platform's last total; -1 when it gave none. */
    public long total() {
        return total;
    }
}
