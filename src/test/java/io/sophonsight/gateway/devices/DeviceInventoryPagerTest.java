package io.sophonsight.gateway.devices;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The platform quirks the inventory pager absorbs (docs/sophonsight-openapi.md §3.4), page by page, without a platform:
 * misspelled list field, numbers as strings, the ambiguous totalSize, capped and repeated pages.
 * The flow around it is proven against the simulator in {@link DeviceInventoryTest}.
 */
class DeviceInventoryPagerTest {

    private static final int PAGE_SIZE = 3;

    private final DeviceInventoryPager pager = new DeviceInventoryPager(PAGE_SIZE, 5, 1);
    private DeviceInventoryPager.Pass pass;

    @BeforeEach
    void newPass() {
        pass = pager.startPass();
    }

    private static Map<String, Object> item(Object id, Object type, Object created) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("locationId", id);
        item.put("nodeType", type);
        item.put("nodeDesc", "Gate " + id);
        item.put("createTime", created);
        return item;
    }

    private static List<Map<String, Object>> items(int from, int count) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            items.add(item("BOX-" + i, 2, 1_700_000_000_000L + i));
        }
        return items;
    }

    private static Map<String, Object> page(String listField, Object totalSize, List<?> items) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("totalSize", totalSize);
        data.put(listField, items);
        return data;
    }

    private List<Map<String, Object>> read(Map<String, Object> data) {
        return pager.readPage(pass, data);
    }

    private boolean morePages() {
        return "NEXT_PAGE".equals(pass.getStep());
    }

    @Test
    void requestsPagesFromIndexOneWithTheConfiguredSize() {
        // Given a new pass
        // When the first two requests are built around a full page
        Map<String, Object> first = pager.nextPageRequest(pass);
        read(page("corssNodeOwnerships", 6, items(1, 3)));
        Map<String, Object> second = pager.nextPageRequest(pass);

        // Then they ask for index 1 then 2, PAGE_SIZE devices each
        assertThat(first).containsEntry("index", 1).containsEntry("pageSize", PAGE_SIZE);
        assertThat(second).containsEntry("index", 2).containsEntry("pageSize", PAGE_SIZE);
    }

    @Test
    void numbersAsStringsAreNormalised() {
        // Given an item whose numbers are strings, as in the platform's published example
        List<Map<String, Object>> devices = read(page("corssNodeOwnerships", "1", List.of(item(" BOX-9 ", "5", "1700000000123"))));

        // then the row holds numbers, a trimmed id and a trimmed name
        assertThat(devices).singleElement().satisfies(d -> {
            assertThat(d).containsEntry("locationId", "BOX-9").containsEntry("nodeType", 5).containsEntry("name", "Gate  BOX-9");
            assertThat(((java.sql.Timestamp) d.get("createdAt")).getTime()).isEqualTo(1_700_000_000_123L);
        });
    }

    @Test
    void unparsableNumbersBecomeNullAndItemsWithoutIdAreSkipped() {
        // Given a page with an odd type and time, one item without id, and one that is not an object
        List<Object> items = List.of(item("BOX-1", "gate", "yesterday"), item("", 2, 1L), "garbage");
        List<Map<String, Object>> devices = read(page("corssNodeOwnerships", 3, items));

        // Then the usable device is kept with nulls, the others are counted as skipped
        assertThat(devices).singleElement().satisfies(d -> assertThat(d).containsEntry("nodeType", null).containsEntry("createdAt", null));
        assertThat(pass.skipped()).isEqualTo(2);
        assertThat(morePages()).isTrue();   // a full page, whatever its content
    }

    /** The corrected spelling of the list field, and a page larger than asked for (pageSize ignored). */
    @ParameterizedTest(name = "{0} with {1} devices")
    @CsvSource({"crossNodeOwnerships, 2", "corssNodeOwnerships, 5"})
    void singlePageThenAnEmptyOneIsTheWholeList(String listField, int count) {
        // Given a platform that fixed the spelling, or that ignores pageSize and lists every device at once
        List<Map<String, Object>> devices = read(page(listField, count, items(1, count)));

        // Then its devices are read, and the empty page that follows ends the pass as complete
        assertThat(devices).hasSize(count);
        assertThat(morePages()).isTrue();
        read(page(listField, count, List.of()));
        assertThat(pass.getStep()).isEqualTo("COMPLETE");
    }

    @Test
    void totalSizeProvesThePassAsRowsOrAsPages() {
        // Given totalSize as a page count (2) over 5 devices
        read(page("corssNodeOwnerships", 2, items(1, 3)));
        read(page("corssNodeOwnerships", 2, items(4, 2)));

        // Then the short page is not the end; the empty page is, and 2 pages of 5 devices add up
        assertThat(morePages()).isTrue();
        read(page("corssNodeOwnerships", 2, List.of()));
        assertThat(pass.getStep()).isEqualTo("COMPLETE");
        assertThat(pass.devicesListed()).isEqualTo(5);
    }

    @Test
    void emptyDataEndsThePass() {
        // Given an answer without data (the envelope's data may be absent)
        // Then there are no devices and, with no total to contradict it, the pass is complete
        assertThat(pager.readPage(pass, null)).isEmpty();
        assertThat(pass.getStep()).isEqualTo("COMPLETE");
    }

    @Test
    void aCappedPageIsLearnedAndTheNextPageAskedWithItsSize() {
        // Given a platform that caps pages at 2 (3 asked for) and reports 5 rows
        read(page("corssNodeOwnerships", "5", items(1, 2)));

        // Then page 2 of 2 follows, then 3, then the empty page 4 ends the pass as complete
        assertThat(pager.nextPageRequest(pass)).containsEntry("index", 2).containsEntry("pageSize", 2);
        read(page("corssNodeOwnerships", "5", items(3, 2)));
        read(page("corssNodeOwnerships", "5", items(5, 1)));
        read(page("corssNodeOwnerships", "5", List.of()));
        assertThat(pass.getStep()).isEqualTo("COMPLETE");
        assertThat(pass.devicesListed()).isEqualTo(5);
    }

    @Test
    void totalSizeAboveTheDevicesListedAfterEveryReReadIsIncomplete() {
        // Given a platform that reports 7 rows but lists 3, twice (max-rereads 1)
        for (int pass = 0; pass < 2; pass++) {
            read(page("corssNodeOwnerships", "7", items(1, 3)));
            read(page("corssNodeOwnerships", "7", List.of()));
        }

        // Then the pass cannot count as complete, and says why
        assertThat(pass.getStep()).isEqualTo("INCOMPLETE");
        assertThat(pass.getIncompleteReason()).contains("the device list").contains("read 3 distinct items")
                .contains("total of 7");
    }

    @Test
    void fullPageOfDevicesAlreadySeenFailsThePass() {
        // Given a platform that ignores index and returns the same full page again
        read(page("corssNodeOwnerships", 9, items(1, 3)));

        // When that page comes a second time
        read(page("corssNodeOwnerships", 9, items(1, 3)));

        // Then the pass stops as incomplete instead of paging forever
        assertThat(pass.getStep()).isEqualTo("INCOMPLETE");
        assertThat(pass.getIncompleteReason()).contains("repeats");
    }

    @Test
    void devicesRepeatedOnAShiftedPageAreUpsertedOnce() {
        // Given a list that shifted by one between two pages (a device added on the platform meanwhile)
        read(page("corssNodeOwnerships", 6, items(1, 3)));
        List<Map<String, Object>> second = read(page("corssNodeOwnerships", 6, items(3, 3)));

        // Then the device listed twice is returned once
        assertThat(second).extracting(d -> d.get("locationId")).containsExactly("BOX-4", "BOX-5");
        assertThat(morePages()).isTrue();
    }

    @Test
    void tooManyPagesFailThePass() {
        // Given a pass that reads max-pages (5) full pages of new devices
        for (int page = 0; page < 5; page++) {
            read(page("corssNodeOwnerships", null, items(page * PAGE_SIZE, PAGE_SIZE)));
        }

        // Then the pass stops as incomplete
        assertThat(pass.getStep()).isEqualTo("INCOMPLETE");
        assertThat(pass.getIncompleteReason()).contains("max-pages");
    }

    @Test
    void answerThatIsNotAnObjectFailsThePass() {
        assertThatThrownBy(() -> pager.readPage(pass, List.of("a", "b"))).isInstanceOf(DeviceInventoryIncompleteException.class);
    }

    @Test
    void failedPassSummaryCarriesTheMaskedReason() {
        // Given a pass that failed on a call whose message carries a token
        read(page("corssNodeOwnerships", 9, items(1, 3)));
        // When its summary is built
        Map<String, Object> summary = pager.passFailed(pass, new IllegalStateException("POST /x?token=0FF1AB34CD56EF78 failed"));

        // Then it is FAILED, removes nothing, and never shows the token
        assertThat(summary).containsEntry("status", "FAILED").containsEntry("pages", 1).containsEntry("devicesListed", 3)
                .containsEntry("devicesRemoved", 0);
        assertThat((String) summary.get("failureReason")).contains("token=0FF1****").doesNotContain("AB34CD56");
    }
}
