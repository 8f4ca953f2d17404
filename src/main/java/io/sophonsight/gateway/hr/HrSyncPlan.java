package io.sophonsight.gateway.hr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one run has to do, in the order it must be done: org upserts (parents first), person
 * upserts, person delete batches, org delete batches (children first). Rejected rows never go out;
 * held deletes wait for a confirmation.
 *
 * <p>The people are not in here: they are planned and sent in bounded batches ({@link HrPeopleBatch}), so a
 * run's memory does not grow with HR. The plan counts them as the batches are planned, and gets its deletes
 * once every person of HR has been seen.
 */
public class HrSyncPlan {

    /** An HR row that is not sent, and why. */
    public record Rejection(String kind, String thirdId, String reason, String row) {
        public Rejection {
            // cut as dead_letter.reason keeps it, so "already recorded for this reason" compares equal texts
            reason = reason == null || reason.length() <= 2000 ? reason : reason.substring(0, 1999) + "\u2026";
        }

        /** Its {@code dead_letter.payload_ref}: kind and HR id (cut to fit the column), the key of "once per row and reason". */
        public String ref() {
            return kind + ":" + (thirdId.length() <= 190 ? thirdId : thirdId.substring(0, 189) + "\u2026");
        }
    }

    /** Ids of one kind that the gateway forgets locally (at most 500 per batch: one DELETE each). */
    public record ForgetBatch(String kind, List<String> thirdIds) { }

    private final List<HrChange.OrgUpsert> orgUpserts = new ArrayList<>();
    private final List<HrChange.DeleteBatch> personDeletes = new ArrayList<>();
    private final List<HrChange.DeleteBatch> orgDeletes = new ArrayList<>();
    private final List<Rejection> orgRejections = new ArrayList<>();
    private final List<String> forgotten = new ArrayList<>();
    // the planner's working state between its steps (orgs, people batches, deletes)
    Map<String, HrSyncStateStore.State> orgStates = Map.of();
    Map<String, Integer> orgDepth = Map.of();
    final Map<String, String> orgProblems = new HashMap<>();
    final Set<String> hrOrgIds = new HashSet<>();
    /** Ids of every HR person seen by a full run (ids only): the deletes are the known ids not among them. */
    final Set<String> hrPersonIds = new HashSet<>();
    private int personCreates;
    private int personUpdates;
    private int photoUploads;
    private int peopleRejected;
    private int peopleRead;
    private int unchanged;
    private int heldPersonDeletes;
    private int heldOrgDeletes;
    private int knownPeople;
    private int knownOrgs;

    public List<HrChange.OrgUpsert> getOrgUpserts() {
        return orgUpserts;
    }

    public List<HrChange.DeleteBatch> getPersonDeletes() {
        return personDeletes;
    }

    public List<HrChange.DeleteBatch> getOrgDeletes() {
        return orgDeletes;
    }

    /** Orgs rejected locally (people rejections travel with their batch). */
    public List<Rejection> getOrgRejections() {
        return orgRejections;
    }

    /** sync_state rows of people never created on the platform and gone from HR: dropped locally, nothing to call. */
    public List<String> getForgotten() {
        return forgotten;
    }

    /** {@link #getForgotten()} grouped by kind, in batches of at most 500 ids. */
    public List<ForgetBatch> getForgetBatches() {
        Map<String, List<String>> byKind = new java.util.LinkedHashMap<>();
        for (String kindAndId : forgotten) {
            String[] parts = kindAndId.split(":", 2);
            byKind.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
        }
        List<ForgetBatch> batches = new ArrayList<>();
        byKind.forEach((kind, ids) -> {
            for (int from = 0; from < ids.size(); from += 500) {
                batches.add(new ForgetBatch(kind, List.copyOf(ids.subList(from, Math.min(ids.size(), from + 500)))));
            }
        });
        return batches;
    }

    public int getUnchanged() {
        return unchanged;
    }

    void addUnchanged() {
        unchanged++;
    }

    /** Counts one batch of people as planned. */
    void counted(HrPeopleBatch batch) {
        for (HrChange.PersonUpsert person : batch.personUpserts()) {
            if (person.isCreate()) {
                personCreates++;
            } else {
                personUpdates++;
            }
            if (person.isPhotoUploadNeeded()) {
                photoUploads++;
            }
        }
        peopleRejected += batch.rejections().size();
        peopleRead += batch.read();
    }

    /** People HR returned so far. */
    public int getPeopleRead() {
        return peopleRead;
    }

    public int getRejectedCount() {
        return orgRejections.size() + peopleRejected;
    }

    public int getHeld() {
        return heldPersonDeletes + heldOrgDeletes;
    }

    public int getHeldPersonDeletes() {
        return heldPersonDeletes;
    }

    public int getHeldOrgDeletes() {
        return heldOrgDeletes;
    }

    /** Takes the deletes out of the plan: the deletion threshold holds them until confirmed. */
    void holdDeletes() {
        heldPersonDeletes = count(personDeletes);
        heldOrgDeletes = count(orgDeletes);
        personDeletes.clear();
        orgDeletes.clear();
    }

    void known(int people, int orgs) {
        this.knownPeople = people;
        this.knownOrgs = orgs;
    }

    public int getKnownPeople() {
        return knownPeople;
    }

    public int getKnownOrgs() {
        return knownOrgs;
    }

    public int getPersonDeleteCount() {
        return count(personDeletes);
    }

    public int getOrgDeleteCount() {
        return count(orgDeletes);
    }

    /** Records the run sends, as far as planned (upserts plus deleted ids): the "total" of the progress log. */
    public int getWorkload() {
        return orgUpserts.size() + personCreates + personUpdates + count(personDeletes) + count(orgDeletes);
    }

    private static int count(List<HrChange.DeleteBatch> batches) {
        return batches.stream().mapToInt(b -> b.thirdIds().size()).sum();
    }

    /** One line for the log and the sync_run row of a dry run. */
    public String describe() {
        long orgCreates = orgUpserts.stream().filter(HrChange.OrgUpsert::create).count();
        return String.format("orgs: %d create, %d update, %d delete; people: %d create, %d update, %d delete, %d photo uploads; "
                        + "%d unchanged, %d rejected, %d deletes held",
                orgCreates, orgUpserts.size() - orgCreates, getOrgDeleteCount(), personCreates, personUpdates,
                getPersonDeleteCount(), photoUploads, unchanged, getRejectedCount(), getHeld());
    }
}
