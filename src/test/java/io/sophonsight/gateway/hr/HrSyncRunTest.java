package io.sophonsight.gateway.hr;

import java.sql.Timestamp;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The bookkeeping of one run, without Spring: progress line, summary line, next watermark. */
class HrSyncRunTest {

    private static HrSyncPlan planWith(int people) {
        HrSyncPlan plan = new HrSyncPlan();
        List<HrChange.PersonUpsert> upserts = new java.util.ArrayList<>();
        for (int i = 0; i < people; i++) {
            upserts.add(new HrChange.PersonUpsert("P" + i, "n", "D", null, null, null, "h", null, false, null, "",
                    true, null, false));
        }
        plan.counted(new HrPeopleBatch(upserts, List.of(), people));
        return plan;
    }

    @Test
    void longRunLogsDoneTotalRateAndEtaAtTheProgressInterval() {
        // Given a run of 10 people whose progress interval has always passed
        HrSyncRun run = new HrSyncRun(HrSyncMode.FULL, false, null, 0);
        run.planned(planWith(10));
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(HrSyncRun.class);
        logger.addAppender(logs);
        try {
            // When 3 people are done
            run.created();
            run.created();
            run.updated();
        } finally {
            logger.detachAppender(logs);
        }

        // Then each step logged done/total, percentage, rate and ETA
        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).contains("3/10 done (30%)").contains("/s").contains("ETA");
    }

    @Test
    void summaryLineCarriesEveryCount() {
        HrSyncRun run = new HrSyncRun(HrSyncMode.INCREMENTAL, false, null, 60_000);
        run.planned(planWith(3));
        run.created();
        run.failed(1, null);
        run.deleted(2);
        run.end("COMPLETED", null);
        assertThat(run.summary()).contains("(INCREMENTAL) COMPLETED").contains("created=1").contains("failed=1")
                .contains("deleted=2").contains("held=0");
    }

    @Test
    void nextWatermarkNeverPassesARowThatFailed() {
        // Given a run that saw rows up to 12:00, and a row of 10:00 that failed
        HrSyncRun run = new HrSyncRun(HrSyncMode.INCREMENTAL, false, Timestamp.valueOf("2026-05-01 08:00:00"), 60_000);
        run.seen(Timestamp.valueOf("2026-05-01 12:00:00"));
        run.seen(Timestamp.valueOf("2026-05-01 10:00:00"));
        assertThat(run.getNextWatermark()).isEqualTo(Timestamp.valueOf("2026-05-01 12:00:00"));
        run.failed(1, Timestamp.valueOf("2026-05-01 10:00:00"));

        // Then the next incremental run reads again from that row
        assertThat(run.getNextWatermark()).isEqualTo(Timestamp.valueOf("2026-05-01 10:00:00"));
    }
}
