package io.sophonsight.gateway.simulator;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The business rules of the SophonSight open API calls (docs/sophonsight-openapi.md §3), applied to {@link SimulatorState}.
 * Each call returns the envelope as a map; {@link Refusal} carries a non-zero status.
 * Authentication (token, appkey, time) is checked before this class is reached.
 */
public class SimulatedOpenApi {

    /** Envelope status codes of the simulator. The real platform's codes differ; only "non-zero" is contractual. */
    public static final int MISSING_FIELD = 2001;
    public static final int FIELD_TOO_LONG = 2002;
    public static final int INVALID_VALUE = 2003;
    public static final int PARENT_NOT_FOUND = 3001;
    public static final int DEPARTMENT_NOT_FOUND = 3002;
    public static final int PHOTO_NOT_FOUND = 3003;
    public static final int ORG_NOT_EMPTY = 3004;
    public static final int DELETE_LIST_SIZE = 3005;
    /** A delete named ids the platform does not hold (only when {@link SimulatorState#setRefuseUnknownDeletes}). */
    public static final int NOT_FOUND = 3006;

    static final int MAX_THIRD_ID = 100;
    static final int MAX_DELETE = 50;

    /** A business refusal: the platform's envelope with a non-zero status. */
    public static class Refusal extends RuntimeException {
        final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final SimulatorState state;
    private final SimulatorReadings readings;
    private final SimulatorPaging paging;
    private final Map<String, Function<JsonNode, Object>> calls = new LinkedHashMap<>();

    public SimulatedOpenApi(SimulatorState state, SimulatorPaging paging) {
        this(state, new SimulatorReadings(""), paging);
    }

    public SimulatedOpenApi(SimulatorState state, SimulatorReadings readings, SimulatorPaging paging) {
        this.state = state;
        this.readings = readings;
        this.paging = paging;
        calls.put("/openapi/v1/syncdept/addOrEdit", this::deptAddOrEdit);
        calls.put("/openapi/v1/syncdept/delete", this::deptDelete);
        calls.put("/openapi/v1/pic/upload", this::picUpload);
        calls.put("/openapi/v1/syncuser/addOrEdit", this::userAddOrEdit);
        calls.put("/openapi/v1/syncuser/delete", this::userDelete);
        calls.put("/openapi/v1/visitor/add", this::visitorAdd);
        calls.put("/openapi/v1/cross/search", this::crossSearch);
        calls.put("/openapi/v1/cross/record/employee/getList", body -> recordQuery(body, "employee", "employees"));
        calls.put("/openapi/v1/cross/record/stranger/getList", body -> recordQuery(body, "stranger", "strangers"));
        calls.put("/openapi/v1/cross/record/visitor/getList", body -> recordQuery(body, "visitor", "visitors"));
    }

    public boolean knows(String path) {
        return calls.containsKey(path) || "/openapi/v1/pic/download".equals(path);
    }

    /** Runs a business call; returns the envelope's {@code data} (may be null). */
    public Object call(String path, JsonNode body) {
        return calls.get(path).apply(body);
    }

    /** pic/download: the stored bytes, or a refusal for an unknown photo. */
    public byte[] download(JsonNode body) {
        String photoId = required(body, "photoId");
        byte[] bytes = state.photo(photoId);
        if (bytes == null) {
            throw new Refusal(PHOTO_NOT_FOUND, "photo not found: " + photoId);
        }
        return bytes;
    }

    // ---- 3.1 organisations ----
    private Object deptAddOrEdit(JsonNode body) {
        String name = required(body, "name");
        String thirdId = thirdId(body, "thirdId", true);
        String parent = thirdId(body, "thirdParentId", false);
        if (!parent.isEmpty()) {
            if (parent.equals(thirdId)) {
                throw new Refusal(INVALID_VALUE, "an organization cannot be its own parent: " + thirdId);
            }
            if (state.org(parent) == null) {
                throw new Refusal(PARENT_NOT_FOUND, "parent organization not found: " + parent);
            }
        }
        return Map.of("id", state.putOrg(thirdId, name, parent).id());
    }

    private Object deptDelete(JsonNode body) {
        List<String> ids = deleteList(body);
        synchronized (state) {
            refuseUnknown(ids, "organization", id -> state.org(id) != null);
            Set<String> deleting = new HashSet<>(ids);
            for (String id : ids) {
                boolean blocked = state.people().stream().anyMatch(p -> id.equals(p.thirdDeptId()))
                        || state.orgs().stream().anyMatch(o -> id.equals(o.thirdParentId()) && !deleting.contains(o.thirdId()));
                if (blocked) {
                    throw new Refusal(ORG_NOT_EMPTY, "organization still has people or child organizations: " + id);
                }
            }
            ids.forEach(state::removeOrg);
        }
        return null;
    }

    // ---- 3.2 people and photos ----
    private Object picUpload(JsonNode body) {
        String photoName = required(body, "photoName");
        String base64 = required(body, "photoByteStr");
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new Refusal(INVALID_VALUE, "photoByteStr is not base64");
        }
        if (bytes.length == 0) {
            throw new Refusal(INVALID_VALUE, "photoByteStr is empty");
        }
        String extension = photoName.toLowerCase().endsWith(".png") ? ".png" : ".jpg";
        String photoId = UUID.randomUUID().toString().replace("-", "") + extension;
        state.putPhoto(photoId, bytes);
        return Map.of("photoId", photoId);
    }

    private Object userAddOrEdit(JsonNode body) {
        String name = required(body, "name");
        String thirdId = thirdId(body, "thirdId", true);
        String dept = thirdId(body, "thirdDeptId", true);
        if (state.org(dept) == null) {
            throw new Refusal(DEPARTMENT_NOT_FOUND, "department not found: " + dept);
        }
        String face = text(body, "facePicture");
        if (!face.isEmpty() && state.photo(face) == null) {
            throw new Refusal(PHOTO_NOT_FOUND, "facePicture is not an uploaded photo: " + face);
        }
        // docs/sophonsight-openapi.md §3.2: an empty facePicture on edit deletes the face (stored as null)
        SimulatorState.Person person = state.putPerson(new SimulatorState.Person(0, thirdId, name, dept,
                text(body, "jobNumber"), text(body, "mail"), text(body, "phone"), face.isEmpty() ? null : face));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", person.id());
        data.put("thirdid", thirdId);
        return data;
    }

    private Object userDelete(JsonNode body) {
        List<String> ids = deleteList(body);
        synchronized (state) {
            refuseUnknown(ids, "person", id -> state.person(id) != null);
            ids.forEach(state::removePerson);
        }
        return null;
    }

    /** A strict platform refuses the whole delete when one id is unknown (see {@link SimulatorState#setRefuseUnknownDeletes}). */
    private void refuseUnknown(List<String> ids, String kind, java.util.function.Predicate<String> held) {
        if (!state.refusesUnknownDeletes()) {
            return;
        }
        List<String> unknown = ids.stream().filter(held.negate()).toList();
        if (!unknown.isEmpty()) {
            throw new Refusal(NOT_FOUND, "no such " + kind + ": " + String.join(",", unknown));
        }
    }

    // ---- 3.3 visitors ----
    private Object visitorAdd(JsonNode body) {
        String name = required(body, "name");
        long start = epochMillis(body, "startTime");
        long end = epochMillis(body, "endTime");
        if (end <= start) {
            throw new Refusal(INVALID_VALUE, "endTime must be after startTime");
        }
        String photoId = required(body, "photoId");
        if (state.photo(photoId) == null) {
            throw new Refusal(PHOTO_NOT_FOUND, "visitor photo not found: " + photoId);
        }
        JsonNode audit = body.path("isNeedAudit");
        boolean needsAudit = audit.isMissingNode() || audit.isNull() || audit.asText().isEmpty() || audit.asBoolean(true);
        state.addVisitor(name, start, end, photoId, needsAudit);
        return null;
    }

    // ---- 3.4 devices ----
    private Object crossSearch(JsonNode body) {
        String nameFilter = text(body, "nodeDesc");
        String typeText = text(body, "nodeType");
        Integer type = typeText.isEmpty() ? null : Integer.valueOf(number(body, "nodeType").intValue());
        insertDevices(paging.insertsBeforeCall());
        List<SimulatorState.Device> matching = paging.order(state.devices().stream()
                .filter(d -> nameFilter.isEmpty() || d.nodeDesc().contains(nameFilter))
                .filter(d -> type == null || d.nodeType() == type)
                .toList(), SimulatorState.Device::createTime, SimulatorState.Device::locationId);
        List<Map<String, Object>> page = new ArrayList<>();
        for (SimulatorState.Device d : page(matching, body, 20)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("locationId", d.locationId());
            item.put("nodeType", String.valueOf(d.nodeType())); // the published example sends it as a string
            item.put("nodeDesc", d.nodeDesc());
            // the published example has 10 digits (seconds) although the field is documented as ms
            item.put("createTime", readings.createTimeInSeconds() ? d.createTime() / 1000 : d.createTime());
            page.add(item);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        if (paging.giveTotal()) {
            data.put("totalSize", matching.size());
        }
        data.put("corssNodeOwnerships", page);
        return data;
    }

    // ---- 3.5 access records ----
    private Object recordQuery(JsonNode body, String kind, String listField) {
        long start = body.hasNonNull("startTime") ? epochMillis(body, "startTime") : Long.MIN_VALUE;
        long end = body.hasNonNull("endTime") ? epochMillis(body, "endTime") : Long.MAX_VALUE;
        String keyword = text(body, "keyword");
        Set<String> locations = new HashSet<>();
        body.path("locationIds").forEach(n -> locations.add(n.asText()));
        boolean userPhoto = body.path("hasUserphoto").asBoolean(false);
        boolean srcPhoto = body.path("hascrossSrcPhoto").asBoolean(false);
        boolean facePhoto = body.path("hascrossFacePhoto").asBoolean(false);
        String keywordField = switch (kind) {
            case "stranger" -> "nodeName";
            case "visitor" -> "visitorName";
            default -> "name";
        };
        insertRecords(kind, paging.insertsBeforeCall(), start, end);
        List<SimulatorState.AccessRecord> matching = paging.order(state.records(kind).stream()
                .filter(r -> r.crossTime() >= start && r.crossTime() <= end)
                .filter(r -> keyword.isEmpty() || String.valueOf(r.fields().get(keywordField)).contains(keyword))
                .filter(r -> locations.isEmpty() || locations.contains(String.valueOf(r.fields().get("_locationId"))))
                .toList(), SimulatorState.AccessRecord::crossTime, SimulatedOpenApi::recordIdentity);
        List<Map<String, Object>> items = new ArrayList<>();
        for (SimulatorState.AccessRecord r : page(matching, body, 20)) {
            Map<String, Object> item = new LinkedHashMap<>();
            r.fields().forEach((k, v) -> {
                if (k.startsWith("_")) {
                    return;
                }
                if ("userPhoto".equals(k) && !userPhoto || "crossSrcPhoto".equals(k) && !srcPhoto
                        || "crossFacePhoto".equals(k) && !facePhoto) {
                    return;
                }
                item.put(k, v);
            });
            items.add(item);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        if (paging.giveTotal()) {
            data.put("totalCount", matching.size());
        }
        data.put(listField, items);
        return data;
    }

    // ---- helpers ----
    private <T> List<T> page(List<T> all, JsonNode body, int defaultPageSize) {
        int index = body.hasNonNull("index") ? number(body, "index").intValue() : 1;
        int size = body.hasNonNull("pageSize") ? number(body, "pageSize").intValue() : defaultPageSize;
        if (index < 1 || size < 1) {
            throw new Refusal(INVALID_VALUE, "index and pageSize must be positive");
        }
        return paging.page(all, index, size);
    }

    /** The paging switch "insert": devices added while a pass reads the list, at the head of its order. */
    private void insertDevices(int count) {
        for (int i = 0; i < count; i++) {
            List<SimulatorState.Device> devices = state.devices();
            long head = paging.descending()
                    ? devices.stream().mapToLong(SimulatorState.Device::createTime).max().orElse(0) + 1
                    : devices.stream().mapToLong(SimulatorState.Device::createTime).min().orElse(0) - 1;
            state.putDevice(new SimulatorState.Device("LATE-" + state.nextId(), 2, "Added while listed", head));
        }
    }

    /**
     * The paging switch "insert": records uploaded late into the window being read, at the head of its
     * order (a millisecond before its earliest record, or after its latest, within the window), each a
     * copy of a record of the kind with its ids extended.
     */
    private void insertRecords(String kind, int count, long start, long end) {
        List<SimulatorState.AccessRecord> existing = state.records(kind);
        if (count == 0 || existing.isEmpty()) {
            return;
        }
        for (int i = 0; i < count; i++) {
            List<Long> times = state.records(kind).stream().map(SimulatorState.AccessRecord::crossTime)
                    .filter(t -> t >= start && t <= end).sorted().toList();
            long time = times.isEmpty() ? start
                    : paging.descending() ? Math.min(end, times.get(times.size() - 1) + 1) : Math.max(start, times.get(0) - 1);
            long id = state.nextId();
            Map<String, Object> fields = new LinkedHashMap<>(existing.get(0).fields());
            fields.replaceAll((field, value) -> switch (field) {
                case "id" -> id;
                case "thirdUserId", "visitorId", "fid", "faceFid" -> String.valueOf(value).replaceFirst("-late\\d+$", "") + "-late" + id;
                case "crossTime" -> time;
                default -> value;
            });
            state.addRecord(new SimulatorState.AccessRecord(kind, time, fields));
        }
    }

    /** What tells records apart when the reorder switch shuffles ties: the record id, else the face id. */
    private static String recordIdentity(SimulatorState.AccessRecord record) {
        Object id = record.fields().get("id");
        return String.valueOf(id != null ? id : record.fields().get("fid"));
    }

    private static List<String> deleteList(JsonNode body) {
        JsonNode ids = body.path("thirdIds");
        if (!ids.isArray() || ids.isEmpty()) {
            throw new Refusal(DELETE_LIST_SIZE, "thirdIds must be a non-empty array");
        }
        if (ids.size() > MAX_DELETE) {
            throw new Refusal(DELETE_LIST_SIZE, "thirdIds holds " + ids.size() + " ids, at most " + MAX_DELETE + " allowed");
        }
        List<String> list = new ArrayList<>();
        ids.forEach(n -> list.add(n.asText()));
        return list;
    }

    private static String thirdId(JsonNode body, String field, boolean required) {
        String value = required ? required(body, field) : text(body, field);
        if (value.length() > MAX_THIRD_ID) {
            throw new Refusal(FIELD_TOO_LONG, field + " is " + value.length() + " characters, at most " + MAX_THIRD_ID);
        }
        return value;
    }

    static String required(JsonNode body, String field) {
        String value = text(body, field);
        if (value.isEmpty()) {
            throw new Refusal(MISSING_FIELD, field + " is required");
        }
        return value;
    }

    static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() || node.isContainerNode() ? "" : node.asText();
    }

    /** Numbers are accepted as JSON numbers or numeric strings (the platform's examples use both). */
    static Number number(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node != null && node.isNumber()) {
            return node.numberValue();
        }
        try {
            return Long.valueOf(text(body, field).trim());
        } catch (NumberFormatException e) {
            throw new Refusal(INVALID_VALUE, field + " must be a number");
        }
    }

    private static long epochMillis(JsonNode body, String field) {
        if (text(body, field).isEmpty()) {
            throw new Refusal(MISSING_FIELD, field + " is required");
        }
        return number(body, field).longValue();
    }
}
