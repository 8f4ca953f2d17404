package io.sophonsight.gateway.hr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Blob;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
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
    private final String photoSource;
    private final Path photoBaseDir;
    private final int deleteBatchSize;
    private final int maxIdLength;

    public HrSyncPlanner(HrSyncStateStore store, HrDeletionGuard guard,
                         @Value("${hr.photo.source:blob}") String photoSource,
                         @Value("${hr.photo.base-dir:.}") String photoBaseDir,
                         @Value("${hr.sync.delete-batch-size:50}") int deleteBatchSize,
                         @Value("${hr.sync.max-id-length:100}") int maxIdLength) {
        this.store = store;
        this.guard = guard;
        this.photoSource = photoSource.trim().toLowerCase();
        if (!this.photoSource.equals("blob") && !this.photoSource.equals("path")) {
            throw new IllegalArgumentException("hr.photo.source must be 'blob' or 'path', was: " + photoSource);
        }
        this.photoBaseDir = Path.of(photoBaseDir);
        this.deleteBatchSize = Math.max(1, Math.min(50, deleteBatchSize));
        this.maxIdLength = maxIdLength;
    }

    /** Camel step: plans a run from the org rows, the people rows (a list or a streamed iterator) and the run. */
    public HrSyncPlan plan(List<Map<String, Object>> orgRows, Object peopleRows, HrSyncRun run) {
        HrSyncPlan plan = new HrSyncPlan();
        Map<String, HrSyncStateStore.State> orgStates = store.load(HrChange.ORG);
        Map<String, HrSyncStateStore.State> personStates = store.load(HrChange.PERSON);
        plan.known((int) personStates.values().stream().filter(HrSyncStateStore.State::onPlatform).count(),
                (int) orgStates.values().stream().filter(HrSyncStateStore.State::onPlatform).count());

        Map<String, String> orgProblems = new HashMap<>();
        Set<String> hrOrgIds = new HashSet<>();
        Map<String, Integer> depth = planOrgs(orgRows, orgStates, plan, orgProblems, hrOrgIds);

        Set<String> hrPersonIds = new HashSet<>();
        Iterator<?> people = peopleRows instanceof Iterator<?> it ? it
                : peopleRows instanceof Collection<?> c ? c.iterator() : List.of().iterator();
        try {
            while (people.hasNext()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> row = (Map<String, Object>) people.next();
                planPerson(row, personStates, depth, orgProblems, plan, hrPersonIds, run);
            }
        } finally {
            if (people instanceof AutoCloseable streamed) { // a streamed result set holds an HR connection
                try {
                    streamed.close();
                } catch (Exception ignored) {
                    // closing a finished result set
                }
            }
        }

        if (run.getMode() == HrSyncMode.FULL) {
            planPersonDeletes(personStates, hrPersonIds, plan);
            planOrgDeletes(orgStates, hrOrgIds, plan);
            if (!guard.allows(plan.getPersonDeleteCount(), plan.getKnownPeople(), plan.getOrgDeleteCount(),
                    plan.getKnownOrgs(), run.isDryRun())) {
                plan.holdDeletes();
            }
        }
        run.planned(plan);
        return plan;
    }

    // ---------------------------------------------------------------- organisations

    private Map<String, Integer> planOrgs(List<Map<String, Object>> rows, Map<String, HrSyncStateStore.State> states,
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

    private void planPerson(Map<String, Object> row, Map<String, HrSyncStateStore.State> states, Map<String, Integer> orgDepth,
                            Map<String, String> orgProblems, HrSyncPlan plan, Set<String> hrIds, HrSyncRun run) {
        String id = text(row, "id");
        if (id != null) {
            hrIds.add(id);
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
        } else if (reason == null && !orgDepth.containsKey(department)) {
            reason = orgProblems.containsKey(department)
                    ? "department '" + department + "' is rejected: " + orgProblems.get(department)
                    : "department '" + department + "' does not exist in HR";
        }
        byte[] photo = null;
        if (reason == null) {
            try {
                photo = photo(row);
            } catch (IOException e) {
                reason = "photo cannot be read: " + e.getMessage();
            }
        }
        if (reason != null) {
            reject(plan, HrChange.PERSON, id, reason, row);
            return;
        }
        String jobNumber = text(row, "job_number");
        String mail = text(row, "mail");
        String phone = text(row, "phone");
        String contentHash = hash(name, department, jobNumber, mail, phone);
        String photoHash = photo == null ? null : sha256(photo);
        HrSyncStateStore.State state = states.get(id);
        boolean create = state == null || !state.onPlatform();
        boolean photoChanged = create ? photo != null : !Objects.equals(photoHash, state.photoHash());
        if (!create && !photoChanged && contentHash.equals(state.contentHash()) && state.lastError() == null) {
            plan.addUnchanged();
            return;
        }
        byte[] upload = null;
        boolean reusesPending = false;
        String photoId;
        if (photo == null) {
            photoId = ""; // no photo in HR: none on add; on edit an empty facePicture removes the face on purpose
        } else if (!photoChanged) {
            photoId = state.photoId(); // every edit resends the current face, or the platform would drop it
        } else if (state != null && photoHash.equals(state.pendingPhotoHash()) && state.pendingPhotoId() != null) {
            photoId = state.pendingPhotoId(); // uploaded by an earlier attempt whose addOrEdit did not go through
            reusesPending = true;
        } else {
            photoId = null;
            upload = photo;
        }
        plan.getPersonUpserts().add(new HrChange.PersonUpsert(id, name, department, jobNumber, mail, phone, contentHash,
                photoHash, upload, photoId, create, updatedAt, reusesPending));
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

    private void planPersonDeletes(Map<String, HrSyncStateStore.State> states, Set<String> hrIds, HrSyncPlan plan) {
        List<String> gone = goneFromHr(HrChange.PERSON, states, hrIds, plan);
        gone.sort(Comparator.naturalOrder());
        batch(HrChange.PERSON, gone, plan.getPersonDeletes());
    }

    private byte[] photo(Map<String, Object> row) throws IOException {
        if ("path".equals(photoSource)) {
            String path = text(row, "photo_path");
            if (path == null) {
                return null;
            }
            Path file = photoBaseDir.resolve(path);
            if (!Files.isRegularFile(file)) {
                throw new IOException("no such file " + file);
            }
            byte[] bytes = Files.readAllBytes(file);
            return bytes.length == 0 ? null : bytes;
        }
        Object value = row.get("photo");
        if (value instanceof Blob blob) {
            try {
                value = blob.getBytes(1, (int) blob.length());
            } catch (SQLException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        if (value == null) {
            return null;
        }
        if (!(value instanceof byte[] bytes)) {
            throw new IOException("column photo is " + value.getClass().getSimpleName() + ", expected binary");
        }
        return bytes.length == 0 ? null : bytes;
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
        Map<String, Object> printable = new LinkedHashMap<>();
        row.forEach((k, v) -> printable.put(k, v instanceof byte[] b ? "<" + b.length + " bytes>" : v instanceof Blob ? "<blob>" : v));
        plan.getRejections().add(new HrSyncPlan.Rejection(kind, id == null ? "" : id, reason, printable.toString()));
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
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }
}
