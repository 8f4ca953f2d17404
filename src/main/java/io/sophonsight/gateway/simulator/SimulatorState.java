package io.sophonsight.gateway.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated platform's memory: organisations, people, photos, visitors, devices, access
 * records, and how often each API path was called. Everything is keyed the way the platform
 * keys it (our {@code thirdId}s for orgs and people, its own ids for photos and devices).
 * All methods synchronise on this object: the simulator favours exactness over throughput.
 */
public class SimulatorState {

    public record Org(long id, String thirdId, String name, String thirdParentId) { }

    public record Person(long id, String thirdId, String name, String thirdDeptId, String jobNumber,
                         String mail, String phone, String facePicture) { }

    public record Visitor(long id, String name, long startTime, long endTime, String photoId,
                          boolean needsAudit, String auditStatus) { }

    public record Device(String locationId, int nodeType, String nodeDesc, long createTime) { }

    /** One access record as the query API returns it; {@code fields} holds the item of docs/sophonsight-openapi.md §3.5. */
    public record AccessRecord(String kind, long crossTime, Map<String, Object> fields) { }

    private final Map<String, Org> orgs = new LinkedHashMap<>();
    private final Map<String, Person> people = new LinkedHashMap<>();
    private final Map<String, byte[]> photos = new LinkedHashMap<>();
    private final List<Visitor> visitors = new ArrayList<>();
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final List<AccessRecord> records = new ArrayList<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> requestHeaders = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    /** Placeholder of an uploaded photo whose bytes are not kept. */
    private static final byte[] NOT_KEPT = new byte[0];
    private volatile boolean keepPhotoBytes = true;
    private volatile boolean refuseUnknownDeletes;

    long nextId() {
        return ids.incrementAndGet();
    }

    void countCall(String path) {
        calls.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
    }

    /** Records the names of the HTTP headers one open API call arrived with (lower case). */
    void countRequestHeaders(Iterable<String> names) {
        for (String name : names) {
            requestHeaders.computeIfAbsent(name.toLowerCase(java.util.Locale.ROOT), n -> new AtomicLong()).incrementAndGet();
        }
    }

    /** How many open API calls arrived with the HTTP header {@code name} (any case) since the last reset. */
    public long callsWithHeader(String name) {
        AtomicLong count = requestHeaders.get(name.toLowerCase(java.util.Locale.ROOT));
        return count == null ? 0 : count.get();
    }

    /** The names of every HTTP header open API calls arrived with since the last reset (lower case). */
    public java.util.Set<String> requestHeaderNames() {
        return new java.util.TreeSet<>(requestHeaders.keySet());
    }

    public long calls(String path) {
        AtomicLong count = calls.get(path);
        return count == null ? 0 : count.get();
    }

    public synchronized void reset() {
        orgs.clear();
        people.clear();
        photos.clear();
        visitors.clear();
        devices.clear();
        records.clear();
        calls.clear();
        requestHeaders.clear();
        refuseUnknownDeletes = false;
    }

    /**
     * How deletes of ids the platform does not hold are answered. The spec is silent: by default they succeed
     * (nothing to delete); switched on, the whole call is refused with NOT_FOUND and nothing is deleted, as a
     * stricter platform may do, e.g. when a delete is sent again after its first answer was lost. Back to the
     * default on {@link #reset()}.
     */
    public void setRefuseUnknownDeletes(boolean refuse) {
        this.refuseUnknownDeletes = refuse;
    }

    public boolean refusesUnknownDeletes() {
        return refuseUnknownDeletes;
    }

    // ---- organisations ----
    public synchronized Org org(String thirdId) {
        return orgs.get(thirdId);
    }

    synchronized Org putOrg(String thirdId, String name, String thirdParentId) {
        Org existing = orgs.get(thirdId);
        Org org = new Org(existing == null ? nextId() : existing.id(), thirdId, name, thirdParentId);
        orgs.put(thirdId, org);
        return org;
    }

    synchronized void removeOrg(String thirdId) {
        orgs.remove(thirdId);
    }

    synchronized boolean orgHasMembers(String thirdId) {
        return people.values().stream().anyMatch(p -> thirdId.equals(p.thirdDeptId()))
                || orgs.values().stream().anyMatch(o -> thirdId.equals(o.thirdParentId()));
    }

    public synchronized List<Org> orgs() {
        return List.copyOf(orgs.values());
    }

    // ---- people ----
    public synchronized Person person(String thirdId) {
        return people.get(thirdId);
    }

    synchronized Person putPerson(Person person) {
        Person existing = people.get(person.thirdId());
        Person stored = new Person(existing == null ? nextId() : existing.id(), person.thirdId(), person.name(), person.thirdDeptId(), person.jobNumber(),
                        person.mail(), person.phone(), person.facePicture());
        people.put(person.thirdId(), stored);
        return stored;
    }

    synchronized void removePerson(String thirdId) {
        people.remove(thirdId);
    }

    public synchronized List<Person> people() {
        return List.copyOf(people.values());
    }

    // ---- photos ----
    /**
     * Whether uploaded photo bytes are kept (default) or only their ids: a benchmark uploading 100,000 faces would
     * otherwise measure the simulator's memory, not the gateway's. Not kept, {@link #photo} answers an empty array.
     */
    public void keepPhotoBytes(boolean keep) {
        this.keepPhotoBytes = keep;
    }

    synchronized void putPhoto(String photoId, byte[] bytes) {
        photos.put(photoId, keepPhotoBytes ? bytes : NOT_KEPT);
    }

    public synchronized byte[] photo(String photoId) {
        return photos.get(photoId);
    }

    public synchronized int photoCount() {
        return photos.size();
    }

    // ---- visitors ----
    synchronized Visitor addVisitor(String name, long start, long end, String photoId, boolean audit) {
        Visitor visitor = new Visitor(nextId(), name, start, end, photoId, audit, audit ? "PENDING_AUDIT" : "APPROVED");
        visitors.add(visitor);
        return visitor;
    }

    public synchronized List<Visitor> visitors() {
        return List.copyOf(visitors);
    }

    // ---- devices ----
    public synchronized void putDevice(Device device) {
        devices.put(device.locationId(), device);
    }

    public synchronized boolean removeDevice(String locationId) {
        return devices.remove(locationId) != null;
    }

    public synchronized List<Device> devices() {
        return List.copyOf(devices.values());
    }

    // ---- access records ----
    public synchronized void addRecord(AccessRecord record) {
        records.add(record);
    }

    public synchronized List<AccessRecord> records(String kind) {
        return records.stream().filter(r -> r.kind().equals(kind))
                .sorted(Comparator.comparingLong(AccessRecord::crossTime)).toList();
    }

    /** A JSON-friendly picture of everything, for tests and demos ({@code GET /simulator/state}). */
    public synchronized Map<String, Object> snapshot() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("orgs", List.copyOf(orgs.values()));
        state.put("people", List.copyOf(people.values()));
        state.put("photoIds", List.copyOf(photos.keySet()));
        state.put("visitors", List.copyOf(visitors));
        state.put("devices", List.copyOf(devices.values()));
        Map<String, Long> recordCounts = new TreeMap<>();
        records.forEach(r -> recordCounts.merge(r.kind(), 1L, Long::sum));
        state.put("recordCounts", recordCounts);
        Map<String, Long> callCounts = new TreeMap<>();
        calls.forEach((path, count) -> callCounts.put(path, count.get()));
        state.put("calls", callCounts);
        // the HTTP headers the calls arrived with, so a gateway in another process can be checked for header leaks
        Map<String, Long> headerCounts = new TreeMap<>();
        requestHeaders.forEach((name, count) -> headerCounts.put(name, count.get()));
        state.put("requestHeaders", headerCounts);
        return state;
    }
}
