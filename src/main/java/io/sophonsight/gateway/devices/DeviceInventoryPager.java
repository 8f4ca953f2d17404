package io.sophonsight.gateway.devices;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sophonsight.gateway.sophonsight.PagedReading;
import io.sophonsight.gateway.sophonsight.SophonSightToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Paging and normalisation of one device inventory pass over {@code /openapi/v1/cross/search}
 * (docs/sophonsight-openapi.md §3.4). The route owns the story (call, upsert, decide, mark removed); this bean owns the
 * state of the pass and the platform's quirks:
 * <ul>
 *   <li>the list is {@code corssNodeOwnerships} (sic); the corrected spelling is accepted too;</li>
 *   <li>numbers may come as strings ({@code "2"}, {@code "1700000000000"});</li>
 *   <li>the pages are read by a {@link PagedReading}: {@code totalSize} is a row count or a page count
 *       (the docs say both), so a pass reads pages until one comes back empty and is complete only if
 *       the distinct devices listed equal {@code totalSize} (rows), or the non-empty pages do while
 *       fewer than the devices (pages), or no {@code totalSize} came at all. A short page is a page-size
 *       cap, learned and used for the next pages; a pass that listed fewer devices than the total (the
 *       list moved while it was read) reads the list again, up to {@code devices.inventory.max-rereads};</li>
 *   <li>a platform that ignores {@code index} and keeps returning the same full page is caught, as is a
 *       pass longer than {@code devices.inventory.max-pages}: the pass then fails and marks nothing removed.</li>
 * </ul>
 */
@Component("deviceInventoryPager")
public class DeviceInventoryPager {

    static final List<String> LIST_FIELDS = List.of("corssNodeOwnerships", "crossNodeOwnerships");
    static final int MAX_ID_LENGTH = 100;

    private static final Logger LOG = LoggerFactory.getLogger(DeviceInventoryPager.class);

    private final int pageSize;
    private final int maxPages;
    private final int maxRereads;

    public DeviceInventoryPager(@Value("${devices.inventory.page-size}") int pageSize,
                                @Value("${devices.inventory.max-pages}") int maxPages,
                                @Value("${devices.inventory.max-rereads}") int maxRereads) {
        if (pageSize < 1 || maxPages < 1 || maxRereads < 0) {
            throw new IllegalStateException("devices.inventory.page-size and max-pages must be positive, max-rereads "
                    + "not negative, were " + pageSize + ", " + maxPages + " and " + maxRereads);
        }
        this.pageSize = pageSize;
        this.maxPages = maxPages;
        this.maxRereads = maxRereads;
    }

    /** What one pass has read so far. */
    public static final class Pass {
        private final String id = UUID.randomUUID().toString();
        private final PagedReading reading;
        private int skipped;
        private Integer reportedTotal;

        Pass(PagedReading reading) {
            this.reading = reading;
        }

        public String getId() {
            return id;
        }

        /** NEXT_PAGE, COMPLETE or INCOMPLETE: what the route does after the page just read. */
        public String getStep() {
            return reading.step().name();
        }

        /** Why the pass cannot be proven complete (step INCOMPLETE); null otherwise. */
        public String getIncompleteReason() {
            return reading.reason();
        }

        public int pages() {
            return reading.pages();
        }

        public int devicesListed() {
            return reading.distinct();
        }

        public int skipped() {
            return skipped;
        }

        public Integer reportedTotal() {
            return reportedTotal;
        }
    }

    /** A new pass, starting at page 1. */
    public Pass startPass() {
        return new Pass(new PagedReading("the device list (cross/search)", PagedReading.TotalMeaning.ROWS_OR_PAGES,
                pageSize, maxPages, maxRereads));
    }

    /** The business fields of the next page's request. */
    public Map<String, Object> nextPageRequest(Pass pass) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("index", pass.reading.index());
        request.put("pageSize", pass.reading.pageSize());
        return request;
    }

    /**
     * Reads the page the platform answered ({@code data} = the envelope's {@code data}) and returns the
     * devices not yet listed in this pass, as maps {@code locationId, nodeType, name, createdAt} ready for
     * the upsert SQL; {@link Pass#getStep()} then says whether another page follows.
     */
    public List<Map<String, Object>> readPage(Pass pass, Object data) {
        List<?> items = items(data);
        int page = pass.reading.pages() + 1;
        Integer total = data instanceof Map<?, ?> map ? toInteger(map.get("totalSize")) : null;
        if (total != null) {
            pass.reportedTotal = total;
        }
        List<Map<String, Object>> devices = new ArrayList<>(items.size());
        List<String> keys = new ArrayList<>(items.size());
        for (Object item : items) {
            Map<String, Object> device = normalise(item);
            devices.add(device);
            keys.add(device == null ? null : (String) device.get("locationId"));
        }
        List<Boolean> fresh = pass.reading.accept(keys, total == null ? null : total.longValue());
        List<Map<String, Object>> newDevices = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (devices.get(i) == null) {
                pass.skipped++;
                LOG.warn("Device inventory pass {}: page {} holds an item without a usable locationId, skipped: {}",
                        pass.id, page, excerpt(items.get(i)));
            } else if (fresh.get(i)) {
                newDevices.add(devices.get(i));
            }
        }
        return newDevices;
    }

    /**
     * The summary of a complete pass (the parameters of the pass-table update); {@code removed} is the
     * update count of the marking statement, the number of devices this pass marked removed.
     */
    public Map<String, Object> passCompleted(Pass pass, Integer removed) {
        return summary(pass, "COMPLETE", removed == null ? 0 : removed, null);
    }

    /** The summary of a failed pass, with the reason (tokens masked). */
    public Map<String, Object> passFailed(Pass pass, Exception cause) {
        String reason = cause == null ? "unknown failure"
                : cause.getClass().getSimpleName() + ": " + SophonSightToken.maskInText(cause.getMessage());
        return summary(pass, "FAILED", 0, reason);
    }

    private static Map<String, Object> summary(Pass pass, String status, int removed, String reason) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("passId", pass.id);
        summary.put("status", status);
        summary.put("pages", pass.reading.pages());
        summary.put("pageSize", pass.reading.pageSize());
        summary.put("rereads", pass.reading.rereads());
        summary.put("devicesListed", pass.reading.distinct());
        summary.put("devicesSkipped", pass.skipped);
        summary.put("devicesRemoved", removed);
        summary.put("reportedTotalSize", pass.reportedTotal);
        summary.put("failureReason", reason == null ? null : truncate(reason, 2000));
        return summary;
    }

    /** One item of {@code corssNodeOwnerships} as a row; null when it has no usable {@code locationId}. */
    static Map<String, Object> normalise(Object item) {
        if (!(item instanceof Map<?, ?> fields)) {
            return null;
        }
        Object rawId = fields.get("locationId");
        String id = rawId == null || rawId instanceof Map || rawId instanceof List ? "" : String.valueOf(rawId).trim();
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("locationId", id);
        row.put("nodeType", toInteger(fields.get("nodeType")));
        Object name = fields.get("nodeDesc");
        row.put("name", name == null ? null : truncate(String.valueOf(name).trim(), 500));
        Long created = epochMillis(toLong(fields.get("createTime")));
        row.put("createdAt", created == null ? null : new Timestamp(created));
        return row;
    }

    /**
     * createTime is documented as epoch ms, but the published example has 10 digits (seconds). Below
     * 10^11 a value is read as seconds: 10^11 ms is March 1973, 10^11 s is the year 5138.
     */
    static Long epochMillis(Long createTime) {
        if (createTime == null) {
            return null;
        }
        return Math.abs(createTime) < 100_000_000_000L ? createTime * 1000 : createTime;
    }

    private static List<?> items(Object data) {
        if (data == null) {
            return List.of();
        }
        if (!(data instanceof Map<?, ?> map)) {
            throw new DeviceInventoryIncompleteException("the platform answered cross/search with "
                    + data.getClass().getSimpleName() + " instead of an object holding corssNodeOwnerships");
        }
        for (String field : LIST_FIELDS) {
            Object list = map.get(field);
            if (list instanceof List<?> items) {
                return items;
            }
            if (list != null) {
                throw new DeviceInventoryIncompleteException(field + " is not a list: " + excerpt(list));
            }
        }
        return List.of();
    }

    static Integer toInteger(Object value) {
        Long number = toLong(value);
        return number == null || number > Integer.MAX_VALUE || number < Integer.MIN_VALUE ? null : number.intValue();
    }

    /** Numbers arrive as JSON numbers or as numeric strings; anything else counts as absent. */
    static Long toLong(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof String text && text.trim().matches("-?\\d{1,18}(\\.0+)?")) {
            return Long.valueOf(text.trim().replaceFirst("\\.0+$", ""));
        }
        return null;
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private static String excerpt(Object value) {
        return truncate(String.valueOf(value), 200);
    }
}
