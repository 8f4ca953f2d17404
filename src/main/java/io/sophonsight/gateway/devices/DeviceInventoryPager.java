package io.sophonsight.gateway.devices;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.sophonsight.gateway.sophonsight.SophonSightToken;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Paging and normalisation of one device inventory pass over {@code /openapi/v1/cross/search}
 * (spec §3.4). The route owns the story (call, upsert, mark removed); this bean owns the state
 * of the pass and the platform's quirks:
 * <ul>
 *   <li>the list is {@code corssNodeOwnerships} (sic); the corrected spelling is accepted too;</li>
 *   <li>numbers may come as strings ({@code "2"}, {@code "1700000000000"});</li>
 *   <li>{@code totalSize} is either a row count or a page count, so it never drives paging:
 *       pages are read until one comes back short or empty. It is only used as a sanity check —
 *       under both readings it can never exceed the number of distinct devices listed;</li>
 *   <li>a platform that ignores {@code index} and keeps returning the same full page is caught
 *       (a full page with no device not already seen in this pass), as is a pass longer than
 *       {@code devices.inventory.max-pages}: the pass then fails and marks nothing removed.</li>
 * </ul>
 */
@Component("deviceInventoryPager")
public class DeviceInventoryPager {

    /** Header: id of the running pass, used by the pass-table SQL. */
    public static final String PASS_ID = "DeviceInventoryPassId";
    /** Exchange property: the {@link Pass} state. */
    public static final String PASS = "DeviceInventoryPass";
    /** Exchange property: whether another page must be read (the loop's condition). */
    public static final String MORE_PAGES = "DeviceInventoryMorePages";

    static final List<String> LIST_FIELDS = List.of("corssNodeOwnerships", "crossNodeOwnerships");
    static final int MAX_ID_LENGTH = 100;

    private static final Logger LOG = LoggerFactory.getLogger(DeviceInventoryPager.class);

    private final int pageSize;
    private final int maxPages;

    public DeviceInventoryPager(@Value("${devices.inventory.page-size}") int pageSize,
                                @Value("${devices.inventory.max-pages}") int maxPages) {
        if (pageSize < 1 || maxPages < 1) {
            throw new IllegalStateException("devices.inventory.page-size and max-pages must be positive, were "
                    + pageSize + " and " + maxPages);
        }
        this.pageSize = pageSize;
        this.maxPages = maxPages;
    }

    /** What one pass has read so far. */
    public static final class Pass {
        private final String id = UUID.randomUUID().toString();
        private final Set<String> seen = new HashSet<>();
        private int nextIndex = 1;
        private int pages;
        private int skipped;
        private Integer reportedTotal;

        public String id() {
            return id;
        }

        public int pages() {
            return pages;
        }

        public int devicesListed() {
            return seen.size();
        }

        public int skipped() {
            return skipped;
        }

        public Integer reportedTotal() {
            return reportedTotal;
        }
    }

    /** Camel step: a new pass starts at page 1. */
    public void startPass(Exchange exchange) {
        Pass pass = new Pass();
        exchange.setProperty(PASS, pass);
        exchange.setProperty(MORE_PAGES, true);
        exchange.getMessage().setHeader(PASS_ID, pass.id());
    }

    /** Camel step: the business fields of the next page's request. */
    public Map<String, Object> nextPageRequest(Exchange exchange) {
        Pass pass = pass(exchange);
        if (pass.pages >= maxPages) {
            throw new DeviceInventoryIncompleteException("the platform still had devices after " + maxPages
                    + " pages of " + pageSize + " (devices.inventory.max-pages)");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("index", pass.nextIndex);
        request.put("pageSize", pageSize);
        return request;
    }

    /**
     * Camel step: reads the page the platform answered (the envelope's {@code data}), decides
     * whether another page follows, and leaves the devices not yet seen in this pass as the body:
     * a list of maps {@code locationId, nodeType, name, createdAt} ready for the upsert SQL.
     */
    public List<Map<String, Object>> readPage(Exchange exchange) {
        Pass pass = pass(exchange);
        Object data = exchange.getMessage().getBody();
        List<?> items = items(data);
        pass.pages++;
        pass.nextIndex++;
        Integer total = data instanceof Map<?, ?> map ? toInteger(map.get("totalSize")) : null;
        if (total != null) {
            pass.reportedTotal = total;
        }
        List<Map<String, Object>> fresh = new ArrayList<>();
        for (Object item : items) {
            Map<String, Object> device = normalise(item);
            if (device == null) {
                pass.skipped++;
                LOG.warn("Device inventory pass {}: page {} holds an item without a usable locationId, skipped: {}",
                        pass.id, pass.pages, excerpt(item));
            } else if (pass.seen.add((String) device.get("locationId"))) {
                fresh.add(device);
            }
        }
        boolean fullPage = items.size() >= pageSize;
        if (fullPage && fresh.isEmpty()) {
            throw new DeviceInventoryIncompleteException("page " + pass.pages + " repeats devices already listed in this pass "
                    + "(the platform seems to ignore 'index'); the inventory cannot be read to its end");
        }
        // a page larger than asked for means the platform ignored pageSize and sent everything at once
        boolean more = items.size() == pageSize;
        exchange.setProperty(MORE_PAGES, more);
        if (!more) {
            checkTotal(pass);
        }
        return fresh;
    }

    /**
     * Camel step after the last page and the removal marking: the summary of a complete pass as the
     * body (the parameters of the pass-table update). {@code CamelSqlUpdateCount} of the marking
     * statement is the number of devices this pass marked removed.
     */
    public Map<String, Object> passCompleted(Exchange exchange) {
        return summary(pass(exchange), "COMPLETE", exchange.getMessage().getHeader("CamelSqlUpdateCount", 0, Integer.class), null);
    }

    /** Camel step when the pass stopped early: the summary of a failed pass, with the reason, as the body. */
    public Map<String, Object> passFailed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause == null ? "unknown failure"
                : cause.getClass().getSimpleName() + ": " + SophonSightToken.maskInText(cause.getMessage());
        return summary(pass(exchange), "FAILED", 0, reason);
    }

    private static Map<String, Object> summary(Pass pass, String status, int removed, String reason) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("passId", pass.id);
        summary.put("status", status);
        summary.put("pages", pass.pages);
        summary.put("devicesListed", pass.seen.size());
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

    private void checkTotal(Pass pass) {
        Integer total = pass.reportedTotal;
        int listed = pass.seen.size() + pass.skipped;
        // totalSize is rows or pages; pages <= rows whenever there is a row, so either way it cannot exceed
        // the rows listed. An empty list reported as "1 page" is the only case where it may.
        if (total != null && total > Math.max(listed, 1)) {
            throw new DeviceInventoryIncompleteException("the platform reports totalSize " + total + " but listed only "
                    + listed + " devices over " + pass.pages + " pages; pages may be capped below devices.inventory.page-size="
                    + pageSize + " or the list changed during the pass");
        }
    }

    private static Pass pass(Exchange exchange) {
        Pass pass = exchange.getProperty(PASS, Pass.class);
        if (pass == null) {
            throw new IllegalStateException("no device inventory pass started on this exchange");
        }
        return pass;
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
