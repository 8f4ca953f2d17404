package io.sophonsight.gateway.hr;

import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The delta planner: compares HR's current rows with {@code sync_state} (what the platform holds)
 * and returns the ordered plan of one run. HR needs no delete markers: an id the gateway synced
 * that HR no longer returns is a delete (full mode only). Invalid rows are rejected with a reason
 * and never sent; an org with a missing parent or in a cycle is rejected with its whole subtree.
 *
 * <p>Input rows are the maps of the {@code hr.sql.*} queries (column labels are matched without
 * regard to case): orgs {@code id, name, parent_id}; people {@code id, name, department_id,
 * job_number, mail, phone, photo | photo_path, updated_at}.
 */
@Component("hrSyncPlanner")
public class HrSyncPlanner {

    private final HrSyncStateStore store;
    private final HrDeletionGuard guard;
    private final HrPhotos photos;
    private final String photoSource;
    private final int deleteBatchSize;
    private final int maxIdLength;
    private final int batchSize;

    @Autowired
    public HrSyncPlanner(HrSyncStateStore store, HrDeletionGuard guard, HrPhotos photos, HrProperties hr) {
        this(store, guard, photos, hr.photo().source(), hr.sync().deleteBatchSize(), hr.sync().maxIdLength(),
                hr.sync().batchSize());
    }

    public HrSyncPlanner(HrSyncStateStore store, HrDeletionGuard guard, HrPhotos photos, String photoSource,
                         int deleteBatchSize, int maxIdLength, int batchSize) {
        this.store = store;
        this.guard = guard;
        this.photos = photos;
        this.photoSource = photoSource.trim().toLowerCase();
        if (!this.photoSource.equals("blob") && !this.photoSource.equals("path")) {
            throw new IllegalArgumentException("hr.photo.source must be 'blob' or 'path', was: " + photoSource);
        }
        this.deleteBatchSize = Math.max(1, Math.min(50, deleteBatchSize));
        this.maxIdLength = maxIdLength;
        this.batchSize = Math.max(1, batchSize);
    }

    /**
     * Camel step, first of a run: plans the orgs (all of them; an org tree is small) and starts the run's plan.
     * The people follow in batches ({@link #peopleBatches}), the deletes last ({@link #planDeletes}).
     */
    public HrSyncPlan planOrgs(List<Map<String, Object>> orgRows, HrSyncRun run) {
        HrSyncPlan plan = new HrSyncPlan();
        plan.orgStates = store.load(HrChange.ORG);
        plan.known(store.countOnPlatform(HrChange.PERSON),
                (int) plan.orgStates.values().stream().filter(HrSyncStateStore.State::onPlatform).count());
        plan.orgDepth = planOrgTree(orgRows, plan.orgStates, plan, plan.orgProblems, plan.hrOrgIds);
        run.planned(plan);
        return plan;
    }

    /**
     * Camel step: the people rows (a streamed result set, or a list) as planned batches of at most
     * {@code hr.sync.batch-size}, read and planned only when the split asks for the next one, so one batch is in
     * memory at a time. Each batch looks up its people's sync_state rows in one query. A stopping run gets no
     * more batches. Closing the iterator (the split does, also on failure) closes the HR result set.
     */
    public Iterator<HrPeopleBatch> peopleBatches(HrSyncPlan plan, Object peopleRows, HrSyncRun run) {
        Iterator<?> rows = peopleRows instanceof Iterator<?> it ? it
                : peopleRows instanceof Collection<?> c ? c.iterator() : List.of().iterator();
        return new PeopleBatches(plan, rows, run);
    }

    /**
     * Camel step, once every person of HR was seen: a full run's deletes (people, then orgs children first), held
     * when over the deletion threshold. sync_state is read in one pass of ids, never loaded whole.
     */
    public HrSyncPlan planDeletes(HrSyncPlan plan, HrSyncRun run) {
        if (run.getMode() == HrSyncMode.FULL) {
            List<String> gonePeople = new ArrayList<>();
            store.forEachId(HrChange.PERSON, (thirdId, onPlatform) -> {
                if (!plan.hrPersonIds.contains(thirdId)) {
                    if (onPlatform) {
                        gonePeople.add(thirdId);
                    } else {
                        plan.getForgotten().add(HrChange.PERSON + ":" + thirdId);
                    }
                }
            });
            gonePeople.sort(Comparator.naturalOrder());
            batch(HrChange.PERSON, gonePeople, plan.getPersonDeletes());
            planOrgDeletes(plan.orgStates, plan.hrOrgIds, plan);
            if (!guard.allows(plan.getPersonDeleteCount(), plan.getKnownPeople(), plan.getOrgDeleteCount(),
                    plan.getKnownOrgs(), run.isDryRun())) {
                plan.holdDeletes();
            }
        }
        plan.hrPersonIds.clear();
        run.planned(plan);
        return plan;
    }

    /** Reads and plans one batch of people at a time, as the split asks. */
    private final class PeopleBatches implements Iterator<HrPeopleBatch>, java.io.Closeable {
        private final HrSyncPlan plan;
        private final Iterator<?> rows;
        private final HrSyncRun run;
        private boolean closed;

        PeopleBatches(HrSyncPlan plan, Iterator<?> rows, HrSyncRun run) {
            this.plan = plan;
            this.rows = rows;
            this.run = run;
        }

        @Override
        public boolean hasNext() {
            if (!closed && (run.isStopping() || !rows.hasNext())) {
                close();
            }
            return !closed;
        }

        @Override
        public HrPeopleBatch next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            List<Candidate> candidates = new ArrayList<>(batchSize);
            List<HrSyncPlan.Rejection> rejections = new ArrayList<>();
            int read = 0;
            while (read < batchSize && rows.hasNext()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> row = (Map<String, Object>) rows.next();
                read++;
                Candidate candidate = candidate(row, plan, run, rejections);
                if (candidate != null) {
                    candidates.add(candidate);
                }
            }
            Map<String, HrSyncStateStore.State> states = store.loadPeople(candidates.stream().map(Candidate::id).toList());
            List<HrChange.PersonUpsert> upserts = new ArrayList<>();
            for (Candidate candidate : candidates) {
                HrChange.PersonUpsert upsert = upsert(candidate, states.get(candidate.id()));
                if (upsert == null) {
                    plan.addUnchanged();
                } else {
                    upserts.add(upsert);
                }
            }
            HrPeopleBatch batch = new HrPeopleBatch(upserts, rejections, read);
            plan.counted(batch);
            return batch;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (rows instanceof AutoCloseable streamed) { // a streamed result set holds an HR connection
                try {
                    streamed.close();
                } catch (Exception ignored) {
                    // closing a finished result set
                }
            }
        }
    }

    // ---------------------------------------------------------------- organisations

    private Map<String, Integer> planOrgTree(List<Map<String, Object>> rows, Map<String, HrSyncStateStore.State> states,
                                          HrSyncPlan plan, Map<String, String> problems, Set<String> hrIds) {
        Map<String, Map<String, Object>> valid = new LinkedHashMap<>();
        for (Map<String, Object> row : rows == null ? List.<Map<String, Object>>of() : rows) {
            String id = text(row, "id");
            if (id != null) {
                hrIds.add(id);
            }
            String reason = invalidId(id);
            if (reason == null && text(row, "name") == null) {
                reason = "organization has no name";
            }
            if (reason == null && valid.containsKey(id)) {
                reason = "organization id appears twice in HR";
            }
            if (reason != null) {
                reject(plan, HrChange.ORG, id, reason, row);
                if (id != null) {
                    problems.put(id, reason);
                }
                continue;
            }
            valid.put(id, row);
        }
        // parents before children: depth in the tree; missing parent or cycle rejects the subtree
        Map<String, Integer> depth = new HashMap<>();
        for (String id : valid.keySet()) {
            resolveDepth(id, valid, depth, problems, new LinkedHashSet<>());
        }
        List<String> ordered = new ArrayList<>(depth.keySet());
        ordered.sort(Comparator.comparing((String id) -> depth.get(id)).thenComparing(id -> id));
        for (String id : valid.keySet()) {
            if (!depth.containsKey(id)) {
                reject(plan, HrChange.ORG, id, problems.get(id), valid.get(id));
            }
        }
        for (String id : ordered) {
            Map<String, Object> row = valid.get(id);
            String name = text(row, "name");
            String parent = text(row, "parent_id");
            String hash = hash(name, parent);
            HrSyncStateStore.State state = states.get(id);
            boolean create = state == null || !state.onPlatform();
            if (create || !hash.equals(state.contentHash()) || state.lastError() != null) {
                plan.getOrgUpserts().add(new HrChange.OrgUpsert(id, name, parent == null ? "" : parent, hash, create));
            } else {
                plan.addUnchanged();
            }
        }
        return depth;
    }

    /** Depth of an org below its top (0 = top level), or null when a parent is missing, rejected or in a cycle. */
    private Integer resolveDepth(String id, Map<String, Map<String, Object>> valid, Map<String, Integer> depth,
                                 Map<String, String> problems, LinkedHashSet<String> path) {
        if (depth.containsKey(id)) {
            return depth.get(id);
        }
        if (problems.containsKey(id)) {
            return null;
        }
        if (!path.add(id)) {
            List<String> cycle = new ArrayList<>(path);
            cycle = cycle.subList(cycle.indexOf(id), cycle.size());
            String reason = "organization is in a parent cycle: " + String.join(" -> ", cycle) + " -> " + id;
            cycle.forEach(member -> problems.put(member, reason));
            return null;
        }
        String parent = text(valid.get(id), "parent_id");
        Integer result;
        if (parent == null) {
            result = 0;
        } else if (parent.equals(id)) {
            problems.put(id, "organization is its own parent");
            result = null;
        } else if (!valid.containsKey(parent)) {
            problems.put(id, problems.containsKey(parent)
                    ? "parent organization '" + parent + "' is rejected: " + problems.get(parent)
                    : "parent organization '" + parent + "' does not exist in HR");
            result = null;
        } else {
            Integer parentDepth = resolveDepth(parent, valid, depth, problems, path);
            if (parentDepth == null) {
                problems.putIfAbsent(id, "parent organization '" + parent + "' is rejected: " + problems.get(parent));
                result = null;
            } else {
                result = parentDepth + 1;
            }
        }
        path.remove(id);
        if (result != null) {
            depth.put(id, result);
        }
        return result;
    }

    private void planOrgDeletes(Map<String, HrSyncStateStore.State> states, Set<String> hrIds, HrSyncPlan plan) {
        Map<String, Integer> stateDepth = new HashMap<>();
        List<String> gone = goneFromHr(HrChange.ORG, states, hrIds, plan);
        // children before parents: deepest first, by the tree the platform was last given
        for (String id : gone) {
            int d = 0;
            Set<String> seen = new HashSet<>();
            for (String p = states.get(id).parentId(); p != null && !p.isEmpty() && seen.add(p) && states.containsKey(p);
                 p = states.get(p).parentId()) {
                d++;
            }
            stateDepth.put(id, d);
        }
        gone.sort(Comparator.comparing((String id) -> -stateDepth.get(id)).thenComparing(id -> id));
        batch(HrChange.ORG, gone, plan.getOrgDeletes());
    }

    // ---------------------------------------------------------------- people

    /** A valid HR person with its photo checked and hashed (the bytes are not kept). */
    private record Candidate(String id, String name, String department, String jobNumber, String mail, String phone,
                             Timestamp updatedAt, String photoPath, HrPhotos.Checked photo) { }

    /** Validates one row and hashes its photo; null (and a rejection) when it must not be sent. */
    private Candidate candidate(Map<String, Object> row, HrSyncPlan plan, HrSyncRun run,
                                List<HrSyncPlan.Rejection> rejections) {
        String id = text(row, "id");
        if (id != null && run.getMode() == HrSyncMode.FULL) {
            plan.hrPersonIds.add(id);
        }
        Timestamp updatedAt = timestamp(row.get("updated_at"));
        run.seen(updatedAt);
        String name = text(row, "name");
        String department = text(row, "department_id");
        String reason = invalidId(id);
        if (reason == null && name == null) {
            reason = "person has no name";
        } else if (reason == null && department == null) {
            reason = "person has no department";
        } else if (reason == null && department.length() > maxIdLength) {
            reason = "department id is " + department.length() + " characters, at most " + maxIdLength;
        } else if (reason == null && !plan.orgDepth.containsKey(department)) {
            reason = plan.orgProblems.containsKey(department)
                    ? "department '" + department + "' is rejected: " + plan.orgProblems.get(department)
                    : "department '" + department + "' does not exist in HR";
        }
        String photoPath = "path".equals(photoSource) ? text(row, "photo_path") : null;
        HrPhotos.Checked photo = null;
        if (reason == null) {
            try {
                photo = "path".equals(photoSource) ? (photoPath == null ? null : photos.fileHash(photoPath))
                        : photos.blobHash(row.get("photo"));
            } catch (HrPhotoException e) {
                reason = e.getMessage();
            }
        }
        if (reason != null) {
            rejections.add(rejection(HrChange.PERSON, id, reason, row));
            return null;
        }
        return new Candidate(id, name, department, text(row, "job_number"), text(row, "mail"), text(row, "phone"),
                updatedAt, photoPath, photo);
    }

    /** The upsert a valid person needs against what the platform holds, or null when it is unchanged. */
    private static HrChange.PersonUpsert upsert(Candidate person, HrSyncStateStore.State state) {
        String contentHash = hash(person.name(), person.department(), person.jobNumber(), person.mail(), person.phone());
        String photoHash = person.photo() == null ? null : person.photo().hash();
        boolean create = state == null || !state.onPlatform();
        boolean photoChanged = create ? photoHash != null : !Objects.equals(photoHash, state.photoHash());
        if (!create && !photoChanged && contentHash.equals(state.contentHash()) && state.lastError() == null) {
            return null;
        }
        boolean upload = false;
        boolean reusesPending = false;
        String photoId;
        if (photoHash == null) {
            photoId = ""; // no photo in HR: none on add; on edit an empty facePicture removes the face on purpose
        } else if (!photoChanged) {
            photoId = state.photoId(); // every edit resends the current face, or the platform would drop it
        } else if (state != null && photoHash.equals(state.pendingPhotoHash()) && state.pendingPhotoId() != null) {
            photoId = state.pendingPhotoId(); // uploaded by an earlier attempt whose addOrEdit did not go through
            reusesPending = true;
        } else {
            photoId = null;
            upload = true;
        }
        return new HrChange.PersonUpsert(person.id(), person.name(), person.department(), person.jobNumber(), person.mail(),
                person.phone(), contentHash, photoHash, upload, person.photoPath(), photoId, create, person.updatedAt(),
                reusesPending);
    }

    /**
     * Ids the gateway knows of that HR no longer lists: those on the platform are to be deleted; those that never
     * reached it are only forgotten locally.
     */
    private static List<String> goneFromHr(String kind, Map<String, HrSyncStateStore.State> states, Set<String> hrIds,
                                           HrSyncPlan plan) {
        List<String> gone = new ArrayList<>();
        for (HrSyncStateStore.State state : states.values()) {
            if (!hrIds.contains(state.thirdId())) {
                if (state.onPlatform()) {
                    gone.add(state.thirdId());
                } else {
                    plan.getForgotten().add(kind + ":" + state.thirdId());
                }
            }
        }
        return gone;
    }

    // ---------------------------------------------------------------- helpers

    private void batch(String kind, List<String> ids, List<HrChange.DeleteBatch> into) {
        for (int from = 0; from < ids.size(); from += deleteBatchSize) {
            into.add(new HrChange.DeleteBatch(kind, List.copyOf(ids.subList(from, Math.min(ids.size(), from + deleteBatchSize)))));
        }
    }

    private String invalidId(String id) {
        if (id == null) {
            return "row has no id";
        }
        if (id.length() > maxIdLength) {
            return "id is " + id.length() + " characters, at most " + maxIdLength + " allowed by the platform";
        }
        return null;
    }

    private static void reject(HrSyncPlan plan, String kind, String id, String reason, Map<String, Object> row) {
        plan.getOrgRejections().add(rejection(kind, id, reason, row));
    }

    private static HrSyncPlan.Rejection rejection(String kind, String id, String reason, Map<String, Object> row) {
        Map<String, Object> printable = new LinkedHashMap<>();
        row.forEach((k, v) -> printable.put(k, v instanceof byte[] b ? "<" + b.length + " bytes>" : v instanceof Blob ? "<blob>" : v));
        return new HrSyncPlan.Rejection(kind, id == null ? "" : id, reason, printable.toString());
    }

    static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    static Timestamp timestamp(Object value) {
        if (value instanceof Timestamp t) {
            return t;
        }
        if (value instanceof LocalDateTime l) {
            return Timestamp.valueOf(l);
        }
        if (value instanceof OffsetDateTime o) {
            return Timestamp.from(o.toInstant());
        }
        if (value instanceof java.util.Date d) {
            return new Timestamp(d.getTime());
        }
        return null;
    }

    static String hash(String... fields) {
        StringBuilder joined = new StringBuilder();
        for (String field : fields) {
            joined.append(field == null ? "\u0000" : field).append('\u001f');
        }
        return sha256(joined.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        return HrPhotos.sha256(bytes);
    }
}
