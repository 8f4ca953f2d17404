package io.sophonsight.gateway.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Window and paging decisions of {@link AccessRecordPoller}, without the platform. */
class AccessRecordPollerTest {

    private static final long NOW = 1_764_000_000_000L;
    private final MockEnvironment environment = new MockEnvironment();
    private final AccessRecordPoller poller = new AccessRecordPoller(3, 4, Duration.ofMinutes(10), Duration.ofHours(24),
            environment, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    @Test
    void windowStartsOverlapBeforeTheWatermarkOrLooksBackOnTheFirstRun() {
        // Given a watermark an hour ago / no watermark
        Exchange withWatermark = opened("employee", NOW - 3_600_000L);
        Exchange firstRun = opened("stranger", null);

        // Then the windows are [watermark - 10 min, now] and [now - 24 h, now]
        assertThat(poller.nextPageRequest(withWatermark)).containsEntry("startTime", NOW - 4_200_000L)
                .containsEntry("endTime", NOW).containsEntry("index", 1).containsEntry("pageSize", 3);
        assertThat(poller.nextPageRequest(firstRun)).containsEntry("startTime", NOW - 86_400_000L);
        assertThat(poller.path(firstRun)).isEqualTo("/openapi/v1/cross/record/stranger/getList");
        assertThat(poller.completed(firstRun)).containsEntry("firstRun", true);
    }

    @Test
    void imagesAreAskedForOnlyWhenConfiguredForTheKind() {
        environment.setProperty("query.records.visitor.face-photo", "true");
        assertThat(poller.nextPageRequest(opened("visitor", null))).containsEntry("hascrossFacePhoto", true)
                .containsEntry("hascrossSrcPhoto", false).containsEntry("hasUserphoto", false);
        assertThat(poller.nextPageRequest(opened("employee", null))).containsEntry("hascrossFacePhoto", false);
    }

    @Test
    void pagingStopsWhenTotalCountIsReachedOrAPageIsShort() {
        // totalCount (as a string) reached exactly on a full page
        Exchange exchange = opened("employee", null);
        assertThat(page(exchange, 3, "6")).hasSize(3);
        assertThat(exchange.getProperty(AccessRecordPoller.MORE_PAGES, Boolean.class)).isTrue();
        assertThat(poller.nextPageRequest(exchange)).containsEntry("index", 2);
        page(exchange, 3, "6");
        assertThat(exchange.getProperty(AccessRecordPoller.MORE_PAGES, Boolean.class)).isFalse();

        // no totalCount: a short page ends the run
        Exchange noTotal = opened("employee", null);
        page(noTotal, 3, null);
        assertThat(noTotal.getProperty(AccessRecordPoller.MORE_PAGES, Boolean.class)).isTrue();
        page(noTotal, 1, null);
        assertThat(noTotal.getProperty(AccessRecordPoller.MORE_PAGES, Boolean.class)).isFalse();
        assertThat(poller.completed(noTotal)).containsEntry("pages", 2).containsEntry("fetched", 4L);
    }

    @Test
    void aPlatformThatKeepsAnsweringFullPagesFailsTheRunAtMaxPages() {
        Exchange exchange = opened("employee", null);
        for (int i = 0; i < 3; i++) {
            page(exchange, 3, "1000");
        }
        assertThatThrownBy(() -> page(exchange, 3, "1000")).hasMessageContaining("max-pages (4)");
    }

    @Test
    void anAnswerWithoutTheListIsRefusedUnlessItIsEmpty() {
        Exchange exchange = opened("visitor", null);
        exchange.getMessage().setBody(Map.of("totalCount", 5));
        assertThatThrownBy(() -> poller.readPage(exchange)).hasMessageContaining("no data.visitors");
        Exchange empty = opened("visitor", null);
        empty.getMessage().setBody(Map.of("totalCount", 0));
        assertThat(poller.readPage(empty)).isEmpty();
        assertThat(empty.getProperty(AccessRecordPoller.MORE_PAGES, Boolean.class)).isFalse();
    }

    @Test
    void anUnknownKindIsRefused() {
        assertThatThrownBy(() -> opened("blacklist", null)).hasMessageContaining("employee, stranger, visitor");
    }

    private Exchange opened(String kind, Long watermark) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(AccessRecordPoller.KIND, kind);
        exchange.getMessage().setHeader(AccessRecordPoller.WATERMARK, watermark);
        poller.open(exchange);
        return exchange;
    }

    private List<Map<String, Object>> page(Exchange exchange, int size, String totalCount) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            records.add(Map.of("crossTime", NOW - i));
        }
        Map<String, Object> data = new java.util.HashMap<>();
        data.put("employees", records);
        data.put("totalCount", totalCount);
        exchange.getMessage().setBody(data);
        return poller.readPage(exchange);
    }
}
