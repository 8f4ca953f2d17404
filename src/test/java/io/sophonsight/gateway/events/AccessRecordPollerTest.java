package io.sophonsight.gateway.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Window and paging decisions of {@link AccessRecordPoller}, without the platform. */
class AccessRecordPollerTest {

    private static final long NOW = 1_764_000_000_000L;
    private final MockEnvironment environment = new MockEnvironment();
    private final AccessRecordPoller poller = new AccessRecordPoller(3, 4, 1, Duration.ofMinutes(10), Duration.ofHours(24),
            environment, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    @Test
    void windowStartsOverlapBeforeTheWatermarkOrLooksBackOnTheFirstRun() {
        // Given a watermark an hour ago / no watermark
        AccessRecordPoller.Run withWatermark = poller.open("employee", NOW - 3_600_000L);
        AccessRecordPoller.Run firstRun = poller.open("stranger", null);

        // Then the windows are [watermark - 10 min, now] and [now - 24 h, now]
        assertThat(poller.nextPageRequest(withWatermark)).containsEntry("startTime", NOW - 4_200_000L)
                .containsEntry("endTime", NOW).containsEntry("index", 1).containsEntry("pageSize", 3);
        assertThat(poller.nextPageRequest(firstRun)).containsEntry("startTime", NOW - 86_400_000L);
        assertThat(firstRun.getKind()).isEqualTo("stranger");
        assertThat(poller.completed(firstRun)).containsEntry("firstRun", true);
    }

    @Test
    void imagesAreAskedForOnlyWhenConfiguredForTheKind() {
        environment.setProperty("query.records.visitor.face-photo", "true");
        assertThat(poller.nextPageRequest(poller.open("visitor", null))).containsEntry("hascrossFacePhoto", true)
                .containsEntry("hascrossSrcPhoto", false).containsEntry("hasUserphoto", false);
        assertThat(poller.nextPageRequest(poller.open("employee", null))).containsEntry("hascrossFacePhoto", false);
    }

    @Test
    void theWindowIsCompleteWhenTotalCountRecordsWereReadAndAShortPageIsNotTheEnd() {
        // Given a window of 5 records (totalCount as a string) served 2 per page although 3 were asked for
        AccessRecordPoller.Run run = poller.open("employee", null);
        assertThat(page(run, 0, 2, "5")).hasSize(2);

        // Then the short page is a cap: page 2 of 2 follows, and the window ends with the 5th record
        assertThat(run.getStep()).isEqualTo("NEXT_PAGE");
        assertThat(poller.nextPageRequest(run)).containsEntry("index", 2).containsEntry("pageSize", 2);
        page(run, 2, 2, "5");
        assertThat(run.getStep()).isEqualTo("NEXT_PAGE");
        page(run, 4, 1, "5");
        assertThat(run.getStep()).isEqualTo("COMPLETE");
        assertThat(poller.completed(run)).containsEntry("pages", 3).containsEntry("fetched", 5L)
                .containsEntry("distinct", 5).containsEntry("pageSize", 2);
    }

    @Test
    void withoutTotalCountOnlyAnEmptyPageEndsTheWindow() {
        AccessRecordPoller.Run run = poller.open("employee", null);
        page(run, 0, 3, null);
        page(run, 3, 1, null);
        assertThat(run.getStep()).isEqualTo("NEXT_PAGE");
        page(run, 4, 0, null);
        assertThat(run.getStep()).isEqualTo("COMPLETE");
    }

    @Test
    void recordsReadAgainAreHandedOnOnce() {
        // Given a window of 4 where a record shifted from page 1 onto page 2 meanwhile
        AccessRecordPoller.Run run = poller.open("employee", null);
        page(run, 0, 3, "4");
        List<Object> second = page(run, 2, 2, "4");

        // Then only the record not yet read goes on to the store
        assertThat(second).hasSize(1);
        assertThat(run.getStep()).isEqualTo("COMPLETE");
    }

    @Test
    void aWindowThatCannotBeProvenCompleteSaysWhy() {
        // Given a platform reporting 9 records but listing 3 (max-rereads 1)
        AccessRecordPoller.Run run = poller.open("visitor", null);
        for (int pass = 0; pass < 2; pass++) {
            page(run, 0, 3, "9");
            page(run, 0, 0, "9");
        }

        // Then the run is INCOMPLETE with a reason naming the window and the counts
        assertThat(run.getStep()).isEqualTo("INCOMPLETE");
        assertThat(run.getIncompleteReason()).contains("the visitor records of window").contains("read 3 distinct")
                .contains("total of 9");
    }

    @Test
    void aPlatformThatKeepsAnsweringFullPagesFailsTheRunAtMaxPages() {
        AccessRecordPoller.Run run = poller.open("employee", null);
        for (int i = 0; i < 4; i++) {
            page(run, i * 3, 3, "1000");
        }
        assertThat(run.getStep()).isEqualTo("INCOMPLETE");
        assertThat(run.getIncompleteReason()).contains("max-pages");
    }

    @Test
    void anAnswerWithoutTheListIsRefusedUnlessItIsEmpty() {
        AccessRecordPoller.Run run = poller.open("visitor", null);
        assertThatThrownBy(() -> poller.readPage(run, Map.of("totalCount", 5))).hasMessageContaining("no data.visitors");
        AccessRecordPoller.Run empty = poller.open("visitor", null);
        assertThat(poller.readPage(empty, Map.of("totalCount", 0))).isEmpty();
        assertThat(empty.getStep()).isEqualTo("COMPLETE");
    }

    @Test
    void recordsAreToldApartByIdElseByEverythingButTheirImages() {
        assertThat(AccessRecordPoller.identity(Map.of("id", 7, "crossTime", 1L))).isEqualTo("id:7");
        Map<String, Object> stranger = new LinkedHashMap<>(Map.of("fid", "f1", "crossTime", 5L, "nodeName", "CAM-1"));
        Map<String, Object> withImage = new LinkedHashMap<>(stranger);
        withImage.put("crossFacePhoto", "base64…");
        assertThat(AccessRecordPoller.identity(withImage)).isEqualTo(AccessRecordPoller.identity(stranger));
        assertThat(AccessRecordPoller.identity(Map.of("fid", "f2", "crossTime", 5L, "nodeName", "CAM-1")))
                .isNotEqualTo(AccessRecordPoller.identity(stranger));
    }

    @Test
    void anUnknownKindIsRefused() {
        assertThatThrownBy(() -> poller.open("blacklist", null)).hasMessageContaining("employee, stranger, visitor");
    }

    /** A page of {@code size} employee records numbered from {@code first}. */
    private List<Object> page(AccessRecordPoller.Run run, int first, int size, String totalCount) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = first; i < first + size; i++) {
            records.add(Map.of("id", i, "crossTime", NOW - i));
        }
        Map<String, Object> data = new HashMap<>();
        data.put(run.getKind() + "s", records);
        data.put("totalCount", totalCount);
        return poller.readPage(run, data);
    }
}
