package io.sophonsight.gateway.devices;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The platform quirks the inventory pager absorbs (spec §3.4), page by page, without a platform:
 * misspelled list field, numbers as strings, the ambiguous totalSize, repeated pages.
 * The flow around it is proven against the simulator in {@link DeviceInventoryTest}.
 */
class DeviceInventoryPagerTest {

    private static final int PAGE_SIZE = 3;

    private final DeviceInventoryPager pager = new DeviceInventoryPager(PAGE_SIZE, 5);
    private Exchange exchange;

    @BeforeEach
    void newPass() {
        exchange = new DefaultExchange(new DefaultCamelContext());
        pager.startPass(exchange);
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
        exchange.getMessage().setBody(data);
        return pager.readPage(exchange);
    }

    private boolean morePages() {
        return exchange.getProperty(DeviceInventoryPager.MORE_PAGES, Boolean.class);
    }

    @Test
    void requestsPagesFromIndexOneWithTheConfiguredSize() {
        // Given a new pass
        // When the first two requests are built around a full page
        Map<String, Object> first = pager.nextPageRequest(exchange);
        read(page("corssNodeOwnerships", 6, items(1, 3)));
        Map<String, Object> second = pager.nextPageRequest(exchange);

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
        assertThat(exchange.getProperty(DeviceInventoryPager.PASS, DeviceInventoryPager.Pass.class).skipped()).isEqualTo(2);
        assertThat(morePages()).isTrue();   // a full page, whatever its content
    }

    /** The corrected spelling of the list field, and a page larger than asked for (pageSize ignored): one last page. */
    @ParameterizedTest(name = "{0} with {1} devices")
    @CsvSource({"crossNodeOwnerships, 2", "corssNodeOwnerships, 5"})
    void singlePageIsReadAsTheWholeList(String listField, int count) {
        // Given a platform that fixed the spelling, or that ignores pageSize and lists every device at once
        List<Map<String, Object>> devices = read(page(listField, count, items(1, count)));

        // Then its devices are read, and that page ends the pass
        assertThat(devices).hasSize(count);
        assertThat(morePages()).isFalse();
    }

    @Test
    void shortOrEmptyPageEndsThePassWhateverTotalSizeMeans() {
        // Given totalSize as a page count (2) over 5 devices
        read(page("corssNodeOwnerships", 2, items(1, 3)));
        assertThat(morePages()).isTrue();
        read(page("corssNodeOwnerships", 2, items(4, 2)));

        // Then the short page ends the pass without complaint
        assertThat(morePages()).isFalse();
    }

    @Test
    void emptyDataEndsThePass() {
        // Given an answer without data (the envelope's data may be absent)
        exchange.getMessage().setBody(null);

        // Then there are no devices and no more pages
        assertThat(pager.readPage(exchange)).isEmpty();
        assertThat(morePages()).isFalse();
    }

    @Test
    void totalSizeAboveTheDevicesListedFailsThePass() {
        // Given a platform that caps pages below what was asked (2 instead of 3) and reports 7 rows
        // When the short first page comes
        // Then the pass cannot count as complete
        assertThatThrownBy(() -> read(page("corssNodeOwnerships", "7", items(1, 2))))
                .isInstanceOf(DeviceInventoryIncompleteException.class)
                .hasMessageContaining("totalSize 7").hasMessageContaining("listed only 2");
    }

    @Test
    void fullPageOfDevicesAlreadySeenFailsThePass() {
        // Given a platform that ignores index and returns the same full page again
        read(page("corssNodeOwnerships", 9, items(1, 3)));

        // When that page comes a second time
        // Then the pass stops as incomplete instead of paging forever
        assertThatThrownBy(() -> read(page("corssNodeOwnerships", 9, items(1, 3))))
                .isInstanceOf(DeviceInventoryIncompleteException.class).hasMessageContaining("repeats");
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
        // Given a pass that already read max-pages (5) full pages of new devices
        for (int page = 0; page < 5; page++) {
            pager.nextPageRequest(exchange);
            read(page("corssNodeOwnerships", null, items(page * PAGE_SIZE, PAGE_SIZE)));
        }

        // When the next page would be asked for
        // Then the pass stops as incomplete
        assertThatThrownBy(() -> pager.nextPageRequest(exchange))
                .isInstanceOf(DeviceInventoryIncompleteException.class).hasMessageContaining("max-pages");
    }

    @Test
    void answerThatIsNotAnObjectFailsThePass() {
        exchange.getMessage().setBody(List.of("a", "b"));
        assertThatThrownBy(() -> pager.readPage(exchange)).isInstanceOf(DeviceInventoryIncompleteException.class);
    }

    @Test
    void failedPassSummaryCarriesTheMaskedReason() {
        // Given a pass that failed on a call whose message carries a token
        read(page("corssNodeOwnerships", 9, items(1, 3)));
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("POST /x?token=0FF1AB34CD56EF78 failed"));

        // When its summary is built
        Map<String, Object> summary = pager.passFailed(exchange);

        // Then it is FAILED, removes nothing, and never shows the token
        assertThat(summary).containsEntry("status", "FAILED").containsEntry("pages", 1).containsEntry("devicesListed", 3)
                .containsEntry("devicesRemoved", 0);
        assertThat((String) summary.get("failureReason")).contains("token=0FF1****").doesNotContain("AB34CD56");
    }
}
