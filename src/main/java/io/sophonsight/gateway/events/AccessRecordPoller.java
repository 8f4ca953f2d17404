package io.sophonsight.gateway.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Window and paging of one run of the access-record pollers ({@code routes/access-record-poll.camel.yaml}).
 *
 * <p>A run reads one kind of record (employee, stranger, visitor; spec §3.5) over the window
 * [watermark − overlap, now], or [now − first look-back, now] when the kind never completed a
 * window. The window's end is fixed when the run starts, so records passing during the run belong
 * to the next window. Pages are asked for from index 1 until {@code totalCount} records were read
 * or a page comes back short (or empty); more than {@code query.records.max-pages} pages fail the
 * run instead of paging forever (a platform that ignores {@code index} would repeat page 1).
 *
 * <p>The state of the run is one {@link Run} in the exchange property {@value #RUN}; the split
 * that stores the records shares it, so it counts stored, duplicate and refused records.
 */
@Component("accessRecordPoller")
public class AccessRecordPoller {

    /** Exchange property holding the {@link Run} of the current poll. */
    public static final String RUN = "AccessRecordPoll";
    /** Exchange property: whether another page must be asked for. */
    public static final String MORE_PAGES = "AccessRecordMorePages";
    /** Header naming the kind to poll: employee, stranger or visitor. */
    public static final String KIND = "AccessRecordKind";
    /** Header with the stored watermark of the kind (epoch ms; null = never completed). */
    public static final String WATERMARK = "AccessRecordWatermark";

    private static final List<String> KINDS = List.of("employee", "stranger", "visitor");

    /** The state of one poll of one kind. */
    public static final class Run {
        private final String kind;
        private final long windowFrom;
        private final long windowTo;
        private final boolean firstRun;
        private int nextIndex = 1;
        private int pages;
        private long fetched;
        private long totalCount = -1;
        private int stored;
        private int duplicates;
        private int refused;

        Run(String kind, long windowFrom, long windowTo, boolean firstRun) {
            this.kind = kind;
            this.windowFrom = windowFrom;
            this.windowTo = windowTo;
            this.firstRun = firstRun;
        }

        public String getKind() {
            return kind;
        }

        public long getWindowFrom() {
            return windowFrom;
        }

        public long getWindowTo() {
            return windowTo;
        }

        synchronized void counted(String storeResult) {
            if ("stored".equals(storeResult)) {
                stored++;
            } else {
                duplicates++;
            }
        }

        synchronized void refused() {
            refused++;
        }

        synchronized Map<String, Object> summary(String status, String failureReason) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("kind", kind);
            summary.put("status", status);
            summary.put("firstRun", firstRun);
            summary.put("windowFrom", windowFrom);
            summary.put("windowTo", windowTo);
            summary.put("windowFromText", Instant.ofEpochMilli(windowFrom).toString());
            summary.put("windowToText", Instant.ofEpochMilli(windowTo).toString());
            summary.put("pages", pages);
            summary.put("fetched", fetched);
            summary.put("totalCount", totalCount);
            summary.put("stored", stored);
            summary.put("duplicates", duplicates);
            summary.put("refused", refused);
            summary.put("failureReason", failureReason);
            return summary;
        }
    }

    private final int pageSize;
    private final int maxPages;
    private final Duration overlap;
    private final Duration firstLookback;
    private final Environment environment;
    private final Clock clock;

    @Autowired
    public AccessRecordPoller(@Value("${query.records.page-size}") int pageSize,
                              @Value("${query.records.max-pages}") int maxPages,
                              @Value("${query.records.overlap}") Duration overlap,
                              @Value("${query.records.first-lookback}") Duration firstLookback,
                              Environment environment) {
        this(pageSize, maxPages, overlap, firstLookback, environment, Clock.systemUTC());
    }

    AccessRecordPoller(int pageSize, int maxPages, Duration overlap, Duration firstLookback, Environment environment,
                       Clock clock) {
        if (pageSize < 1 || maxPages < 1 || overlap.isNegative() || firstLookback.isNegative()) {
            throw new IllegalArgumentException("query.records: page-size and max-pages must be positive, "
                    + "overlap and first-lookback not negative");
        }
        this.pageSize = pageSize;
        this.maxPages = maxPages;
        this.overlap = overlap;
        this.firstLookback = firstLookback;
        this.environment = environment;
        this.clock = clock;
    }

    /** Opens the run: the window from the stored watermark (header {@value #WATERMARK}) to now. */
    public void open(Exchange exchange) {
        String kind = exchange.getMessage().getHeader(KIND, String.class);
        if (kind == null || !KINDS.contains(kind)) {
            throw new IllegalArgumentException("header " + KIND + " must be one of " + KINDS + ", got " + kind);
        }
        Number watermark = exchange.getMessage().getHeader(WATERMARK, Number.class);
        long now = clock.millis();
        long from = watermark == null ? now - firstLookback.toMillis() : watermark.longValue() - overlap.toMillis();
        Run run = new Run(kind, Math.min(from, now), now, watermark == null);
        exchange.setProperty(RUN, run);
        exchange.setProperty(MORE_PAGES, true);
    }

    /** API path of the run's kind (spec §3.5). */
    public String path(Exchange exchange) {
        return "/openapi/v1/cross/record/" + run(exchange).kind + "/getList";
    }

    /** Business fields of the next page: the window, the page, and the images asked for this kind. */
    public Map<String, Object> nextPageRequest(Exchange exchange) {
        Run run = run(exchange);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("startTime", run.windowFrom);
        request.put("endTime", run.windowTo);
        request.put("pageSize", pageSize);
        request.put("index", run.nextIndex);
        request.put("hasUserphoto", flag(run.kind, "user-photo"));
        request.put("hascrossSrcPhoto", flag(run.kind, "scene-photo"));
        request.put("hascrossFacePhoto", flag(run.kind, "face-photo"));
        return request;
    }

    /**
     * The records of the page just read (body = the envelope's {@code data}); decides whether
     * another page follows: not when {@code totalCount} records were read or the page is short.
     */
    public List<Map<String, Object>> readPage(Exchange exchange) {
        Run run = run(exchange);
        Object data = exchange.getMessage().getBody();
        String listField = switch (run.kind) {
            case "employee" -> "employees";
            case "stranger" -> "strangers";
            default -> "visitors";
        };
        if (!(data instanceof Map<?, ?> map)) {
            throw new IllegalStateException("page " + run.nextIndex + " of " + run.kind + " records: the answer has no data object");
        }
        Object list = map.get(listField);
        long totalCount = count(map.get("totalCount"));
        if (list == null && totalCount != 0) {
            throw new IllegalStateException("page " + run.nextIndex + " of " + run.kind + " records: no data." + listField
                    + " in the answer");
        }
        if (list != null && !(list instanceof List<?>)) {
            throw new IllegalStateException("page " + run.nextIndex + " of " + run.kind + " records: data." + listField
                    + " is not a list");
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> records = list == null ? List.of() : (List<Map<String, Object>>) list;
        synchronized (run) {
            run.pages++;
            run.fetched += records.size();
            run.totalCount = totalCount;
            run.nextIndex++;
            boolean more = records.size() >= pageSize && (totalCount < 0 || run.fetched < totalCount);
            if (more && run.pages >= maxPages) {
                throw new IllegalStateException("the " + run.kind + " window needs more than query.records.max-pages ("
                        + maxPages + ") pages; the run is repeated next time");
            }
            exchange.setProperty(MORE_PAGES, more);
        }
        return records;
    }

    /** Counts one record after the store step (header AccessEventStoreResult = stored | duplicate). */
    public void counted(Exchange exchange) {
        run(exchange).counted(exchange.getMessage().getHeader("AccessEventStoreResult", String.class));
    }

    /** Counts one record refused by the normaliser (it went to the dead-letter table). */
    public void refused(Exchange exchange) {
        run(exchange).refused();
    }

    /** Summary of a run whose every page was stored; {@code windowTo} becomes the new watermark. */
    public Map<String, Object> completed(Exchange exchange) {
        return run(exchange).summary("COMPLETED", null);
    }

    /** Summary of a failed run (the exception caught); the watermark stays, so the window is repeated. */
    public Map<String, Object> failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        Run run = exchange.getProperty(RUN, Run.class);
        if (run == null) { // failed before the window was opened (e.g. database down)
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("kind", exchange.getMessage().getHeader(KIND, String.class));
            summary.put("status", "FAILED");
            summary.put("pages", 0);
            summary.put("failureReason", abbreviate(reason));
            return summary;
        }
        return run.summary("FAILED", abbreviate(reason));
    }

    private boolean flag(String kind, String image) {
        return environment.getProperty("query.records." + kind + "." + image, Boolean.class, false);
    }

    private static Run run(Exchange exchange) {
        Run run = exchange.getProperty(RUN, Run.class);
        if (run == null) {
            throw new IllegalStateException("no access-record poll open on this exchange");
        }
        return run;
    }

    /** totalCount as a number or a numeric string; -1 when absent (then only a short page ends the run). */
    private static long count(Object value) {
        if (value == null) {
            return -1;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("data.totalCount is not a number: " + abbreviate(value.toString()));
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 1900 ? text.substring(0, 1900) + "…" : text;
    }
}
