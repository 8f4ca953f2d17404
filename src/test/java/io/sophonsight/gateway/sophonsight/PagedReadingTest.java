package io.sophonsight.gateway.sophonsight;

import java.util.ArrayList;
import java.util.List;

import io.sophonsight.gateway.sophonsight.PagedReading.Step;
import io.sophonsight.gateway.sophonsight.PagedReading.TotalMeaning;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a paged list of the platform counts as read to its end, page by page without a platform:
 * the readings the docs leave open (page-size cap, no total, total as pages, a list that moves).
 */
class PagedReadingTest {

    private static List<String> keys(int from, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            keys.add("k" + i);
        }
        return keys;
    }

    private static PagedReading rows(int pageSize) {
        return new PagedReading("the test list", TotalMeaning.ROWS, pageSize, 100, 2);
    }

    @Test
    void aShortFirstPageWithMoreToReadIsACapLearnedForTheNextPages() {
        // Given a reading asking for 100 per page of a list of 45 the platform serves 20 at a time
        PagedReading reading = rows(100);

        // When page 1 comes back with 20 of 45
        reading.accept(keys(0, 20), 45L);

        // Then the next page is page 2 of 20, and so on until 45 distinct items were read
        assertThat(reading.step()).isEqualTo(Step.NEXT_PAGE);
        assertThat(reading.index()).isEqualTo(2);
        assertThat(reading.pageSize()).isEqualTo(20);
        reading.accept(keys(20, 20), 45L);
        assertThat(reading.index()).isEqualTo(3);
        reading.accept(keys(40, 5), 45L);
        assertThat(reading.step()).isEqualTo(Step.COMPLETE);
        assertThat(reading.pages()).isEqualTo(3);
        assertThat(reading.distinct()).isEqualTo(45);
    }

    @Test
    void aCapLearnedAfterPageOneReadsTheListAgainWithTheSmallerSize() {
        // Given two full pages of 10, then a page of 4 while the total says 50
        PagedReading reading = rows(10);
        reading.accept(keys(0, 10), 50L);
        reading.accept(keys(10, 10), 50L);
        reading.accept(keys(20, 4), 50L);

        // Then the offsets of the pages read are unknown: page 1 again, 4 at a time
        assertThat(reading.step()).isEqualTo(Step.NEXT_PAGE);
        assertThat(reading.index()).isEqualTo(1);
        assertThat(reading.pageSize()).isEqualTo(4);
    }

    @Test
    void withoutTotalOnlyAnEmptyPageEndsTheReading() {
        // Given a platform that gives no total and caps pages at 2
        PagedReading reading = rows(3);
        reading.accept(keys(0, 2), null);
        assertThat(reading.step()).isEqualTo(Step.NEXT_PAGE);
        reading.accept(keys(2, 1), null);

        // Then even the short page that follows is not taken as the end
        assertThat(reading.step()).isEqualTo(Step.NEXT_PAGE);
        reading.accept(List.of(), null);
        assertThat(reading.step()).isEqualTo(Step.COMPLETE);
    }

    @Test
    void itemsThatMovedBehindTheReaderAreFoundByReadingTheListAgain() {
        // Given a list of 6 read 3 at a time where an item moved from page 2 onto page 1 meanwhile
        PagedReading reading = rows(3);
        assertThat(reading.accept(List.of("a", "b", "c"), 6L)).containsExactly(true, true, true);
        List<Boolean> fresh = reading.accept(List.of("c", "e", "f"), 6L);

        // Then the item read twice is not new, the end of the list is reached with 5 of 6: read again
        assertThat(fresh).containsExactly(false, true, true);
        assertThat(reading.step()).isEqualTo(Step.NEXT_PAGE);
        assertThat(reading.index()).isEqualTo(1);
        assertThat(reading.accept(List.of("a", "b", "d"), 6L)).containsExactly(false, false, true);

        // And the reading is complete as soon as every item was seen
        assertThat(reading.step()).isEqualTo(Step.COMPLETE);
        assertThat(reading.rereads()).isEqualTo(1);
    }

    @Test
    void aListThatNeverAddsUpEndsIncompleteWithAReason() {
        // Given a platform that reports 10 items but lists 5, whatever is re-read (max 2 re-reads)
        PagedReading reading = rows(5);
        for (int pass = 0; pass < 3; pass++) {
            assertThat(reading.step()).isEqualTo(Step.NEXT_PAGE);
            reading.accept(keys(0, 5), 10L);
            reading.accept(List.of(), 10L);
        }

        // Then the reading gives up, saying what it read against what was reported
        assertThat(reading.step()).isEqualTo(Step.INCOMPLETE);
        assertThat(reading.reason()).contains("the test list").contains("read 5 distinct items")
                .contains("total of 10").contains("2 re-reads");
    }

    @Test
    void theSamePageAgainMeansTheIndexIsIgnored() {
        PagedReading reading = rows(3);
        reading.accept(keys(0, 3), 9L);
        reading.accept(keys(0, 3), 9L);
        assertThat(reading.step()).isEqualTo(Step.INCOMPLETE);
        assertThat(reading.reason()).contains("repeats page 1");
    }

    @Test
    void moreThanMaxPagesEndsIncomplete() {
        PagedReading reading = new PagedReading("the test list", TotalMeaning.ROWS, 2, 3, 0);
        for (int page = 0; page < 3; page++) {
            reading.accept(keys(page * 2, 2), 1000L);
        }
        assertThat(reading.step()).isEqualTo(Step.INCOMPLETE);
        assertThat(reading.reason()).contains("3 pages").contains("max-pages");
    }

    @Test
    void anAmbiguousTotalNeedsTheEmptyPageAndCountsAsRowsOrAsPages() {
        // Given a total that may count rows: 5 devices, 3 per page
        PagedReading asRows = new PagedReading("devices", TotalMeaning.ROWS_OR_PAGES, 3, 100, 1);
        asRows.accept(keys(0, 3), 5L);
        asRows.accept(keys(3, 2), 5L);
        // Then the short page is not the end: only the empty page proves it
        assertThat(asRows.step()).isEqualTo(Step.NEXT_PAGE);
        asRows.accept(List.of(), 5L);
        assertThat(asRows.step()).isEqualTo(Step.COMPLETE);

        // Given the same list with a total that counts pages (2)
        PagedReading asPages = new PagedReading("devices", TotalMeaning.ROWS_OR_PAGES, 3, 100, 1);
        asPages.accept(keys(0, 3), 2L);
        asPages.accept(keys(3, 2), 2L);
        asPages.accept(List.of(), 2L);
        // Then two non-empty pages for five devices prove it too
        assertThat(asPages.step()).isEqualTo(Step.COMPLETE);

        // Given a total as rows of which a device was missed
        PagedReading missed = new PagedReading("devices", TotalMeaning.ROWS_OR_PAGES, 3, 100, 0);
        missed.accept(keys(0, 3), 6L);
        missed.accept(keys(3, 2), 6L);
        missed.accept(List.of(), 6L);
        // Then the pass is not complete
        assertThat(missed.step()).isEqualTo(Step.INCOMPLETE);
    }

    @Test
    void anEmptyListWithTotalZeroIsComplete() {
        PagedReading reading = rows(100);
        reading.accept(List.of(), 0L);
        assertThat(reading.step()).isEqualTo(Step.COMPLETE);
    }
}
