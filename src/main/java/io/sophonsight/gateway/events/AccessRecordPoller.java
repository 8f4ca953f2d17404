package io.sophonsight.gateway.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.sophonsight.gateway.sophonsight.PagedReading;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Window and paging of one run of the access-record pollers ({@code routes/access-record-poll.camel.yaml}).
 *
 * <p>A run reads one kind of record (employee, stranger, visitor; docs/sophonsight-openapi.md §3.5) over the window
 * [watermark − overlap, now], or [now − first look-back, now] when the kind never completed a
 * window. The window's end is fixed when the run starts, so records passing during the run belong
 * to the next window. The pages are read by a {@link PagedReading}: the window is complete only when
 * the distinct records read equal the platform's {@code totalCount} (or, without a total, when an
 * empty page arrives); a short page is a page-size cap, learned and used for the next pages; a window
 * whose records moved while it was read is read again (up to {@code query.records.max-rereads} times).
 * Each page hands on only the records new to this run, so a re-read never reaches the store twice.
 *
 * <p>The state of the run is one {@link Run} in the exchange property {@value #RUN}; the route reads
 * its {@link Run#getStep() step} to decide: another page, complete, or fail (watermark kept).
 */
@Component("accessRecordPoller")
public class AccessRecordPoller {

    /** Exchange property holding the {@link Run} of the current poll. */
    public static final String RUN = "AccessRecordPoll";
    /** Header naming the kind to poll: employee, stranger or visitor. */
    public static final String KIND = "AccessRecordKind";
    /** Header with the stored watermark of the kind (epoch ms; null = never completed). */
    public static final String WATERMARK = "AccessRecordWatermark";

    private static final List<String> KINDS = List.of("employee", "stranger", "visitor");
    /** Image fields: large, asked for per run, and no part of what tells two records apart. */
    private static final Set<String> IMAGE_FIELDS = Set.of("userPhoto", "crossSrcPhoto", "crossFacePhoto");

    /** The state of one poll of one kind. */
    public static final class Run {
        private final String kind;
        private final long windowFrom;
        private final long windowTo;
        private final boolean firstRun;
        private final PagedReading reading;
        private int stored;
        private int duplicates;
        private int refused;

        Run(String kind, long windowFrom, long windowTo, boolean firstRun, PagedReading reading) {
            this.kind = kind;
            this.windowFrom = windowFrom;
            this.windowTo = windowTo;
            this.firstRun = firstRun;
            this.reading = reading;
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

        /** The list this run reads, as metrics name it: {@code access-records-<kind>}. */
        public String getListName() {
            return "access-records-" + kind;
        }

        /** NEXT_PAGE, COMPLETE or INCOMPLETE: what the route does after the page just read. */
        public synchronized String getStep() {
            return reading.step().name();
        }

        /** Why the window cannot be proven complete (step INCOMPLETE); null otherwise. */
        public synchronized String getIncompleteReason() {
            return reading.reason();
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
            summary.put("pages", reading.pages());
            summary.put("pageSize", reading.pageSize());
            summary.put("rereads", reading.rereads());
            summary.put("fetched", reading.returned());
            summary.put("distinct", reading.distinct());
            summary.put("totalCount", reading.total());
            summary.put("stored", stored);
            summary.put("duplicates", duplicates);
            summary.put("refused", refused);
            summary.put("failureReason", failureReason);
            return summary;
        }
    }

    private final int pageSize;
    private final int maxPages;
    private final int maxRereads;
    private final Duration overlap;
    private final Duration firstLookback;
    private final Environment environment;
    private final Clock clock;

    @Autowired
    public AccessRecordPoller(@Value("${query.records.page-size}") int pageSize,
                              @Value("${query.records.max-pages}") int maxPages,
                              @Value("${query.records.max-rereads}") int maxRereads,
                              @Value("${query.records.overlap}") Duration overlap,
                              @Value("${query.records.first-lookback}") Duration firstLookback,
                              Environment environment) {
        this(pageSize, maxPages, maxRereads, overlap, firstLookback, environment, Clock.systemUTC());
    }

    AccessRecordPoller(int pageSize, int maxPages, int maxRereads, Duration overlap, Duration firstLookback,
                       Environment environment, Clock clock) {
        if (pageSize < 1 || maxPages < 1 || maxRereads < 0 || overlap.isNegative() || firstLookback.isNegative()) {
            throw new IllegalArgumentException("query.records: page-size and max-pages must be positive, "
                    + "max-rereads, overlap and first-lookback not negative");
        }
        this.pageSize = pageSize;
        this.maxPages = maxPages;
        this.maxRereads = maxRereads;
        this.overlap = overlap;
        this.firstLookback = firstLookback;
        this.environment = environment;
        this.clock = clock;
    }

    /** Opens the run of {@code kind}: the window from the stored watermark (null = never completed) to now. */
    public Run open(String kind, Long watermark) {
        if (kind == null || !KINDS.contains(kind)) {
            throw new IllegalArgumentException("header " + KIND + " must be one of " + KINDS + ", got " + kind);
        }
        long now = clock.millis();
        long from = Math.min(watermark == null ? now - firstLookback.toMillis() : watermark - overlap.toMillis(), now);
        PagedReading reading = new PagedReading("the " + kind + " records of window " + Instant.ofEpochMilli(from)
                + " .. " + Instant.ofEpochMilli(now), PagedReading.TotalMeaning.ROWS, pageSize, maxPages, maxRereads);
        return new Run(kind, from, now, watermark == null, reading);
    }

    /** API path of the run's kind (docs/sophonsight-openapi.md §3.5). */
    public String path(Run run) {
        return "/openapi/v1/cross/record/" + run.kind + "/getList";
    }

    /** Business fields of the next page: the window, the page, and the images asked for this kind. */
    public Map<String, Object> nextPageRequest(Run run) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("startTime", run.windowFrom);
        request.put("endTime", run.windowTo);
        synchronized (run) {
            request.put("pageSize", run.reading.pageSize());
            request.put("index", run.reading.index());
        }
        request.put("hasUserphoto", flag(run.kind, "user-photo"));
        request.put("hascrossSrcPhoto", flag(run.kind, "scene-photo"));
        request.put("hascrossFacePhoto", flag(run.kind, "face-photo"));
        return request;
    }

    /**
     * Takes the page just read ({@code data} = the envelope's {@code data}) and returns its records
     * not yet read in this run; {@link Run#getStep()} then says whether another page follows.
     */
    public List<Object> readPage(Run run, Object data) {
        String listField = switch (run.kind) {
            case "employee" -> "employees";
            case "stranger" -> "strangers";
            default -> "visitors";
        };
        synchronized (run) {
            String page = "page " + run.reading.index() + " of " + run.kind + " records";
            if (!(data instanceof Map<?, ?> map)) {
                throw new IllegalStateException(page + ": the answer has no data object");
            }
            Object list = map.get(listField);
            Long totalCount = count(map.get("totalCount"));
            if (list == null && totalCount != null && totalCount != 0) {
                throw new IllegalStateException(page + ": no data." + listField + " in the answer");
            }
            if (list != null && !(list instanceof List<?>)) {
                throw new IllegalStateException(page + ": data." + listField + " is not a list");
            }
            List<?> records = list == null ? List.of() : (List<?>) list;
            List<String> keys = new ArrayList<>(records.size());
            records.forEach(record -> keys.add(identity(record)));
            List<Boolean> fresh = run.reading.accept(keys, totalCount);
            List<Object> newRecords = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                if (fresh.get(i)) {
                    newRecords.add(records.get(i));
                }
            }
            return newRecords;
        }
    }

    /** Counts one record after the store step ({@code storeResult} = stored | duplicate). */
    public void counted(Run run, String storeResult) {
        run.counted(storeResult);
    }

    /** Counts one record refused by the normaliser (it went to the dead-letter table). */
    public void refused(Run run) {
        run.refused();
    }

    /** Summary of a run whose window was read completely and stored; {@code windowTo} becomes the new watermark. */
    public Map<String, Object> completed(Run run) {
        return run.summary("COMPLETED", null);
    }

    /**
     * Summary of a failed run; the watermark stays, so the window is repeated. {@code run} is null when
     * the run failed before its window was opened (e.g. database down).
     */
    public Map<String, Object> failed(Run run, String kind, Exception cause) {
        String reason = cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        if (run == null) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("kind", kind);
            summary.put("status", "FAILED");
            summary.put("pages", 0);
            summary.put("failureReason", abbreviate(reason));
            return summary;
        }
        return run.summary("FAILED", abbreviate(reason));
    }

    /**
     * What tells one record of a window from another when pages are read again: the platform's record
     * {@code id} where the kind has one, else every field but the images (strangers have no id).
     * Null for an item that is not an object (it is handed on, and the normaliser refuses it).
     */
    static String identity(Object record) {
        if (!(record instanceof Map<?, ?> fields)) {
            return null;
        }
        Object id = fields.get("id");
        if (id != null && !id.toString().isBlank()) {
            return "id:" + id;
        }
        Map<String, Object> content = new TreeMap<>();
        fields.forEach((field, value) -> {
            if (!IMAGE_FIELDS.contains(String.valueOf(field))) {
                content.put(String.valueOf(field), value);
            }
        });
        return "fields:" + content;
    }

    private boolean flag(String kind, String image) {
        return environment.getProperty("query.records." + kind + "." + image, Boolean.class, false);
    }

    /** totalCount as a number or a numeric string; null when absent (then only an empty page ends the window). */
    private static Long count(Object value) {
        if (value == null) {
            return null;
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
