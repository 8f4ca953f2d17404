package io.sophonsight.gateway.hr;

import java.util.ArrayList;
import java.util.List;

/**
 * What one run has to do, in the order it must be done: org upserts (parents first), person
 * upserts, person delete batches, org delete batches (children first). Rejected rows never go out;
 * held deletes wait for a confirmation.
 */
public class HrSyncPlan {

    /** An HR row that is not sent, and why. */
    public record Rejection(String kind, String thirdId, String reason, String row) { }

    private final List<HrChange.OrgUpsert> orgUpserts = new ArrayList<>();
    private final List<HrChange.PersonUpsert> personUpserts = new ArrayList<>();
    private final List<HrChange.DeleteBatch> personDeletes = new ArrayList<>();
    private final List<HrChange.DeleteBatch> orgDeletes = new ArrayList<>();
    private final List<Rejection> rejections = new ArrayList<>();
    private final List<String> forgotten = new ArrayList<>();
    private int unchanged;
    private int heldPersonDeletes;
    private int heldOrgDeletes;
    private int knownPeople;
    private int knownOrgs;

    public List<HrChange.OrgUpsert> getOrgUpserts() {
        return orgUpserts;
    }

    public List<HrChange.PersonUpsert> getPersonUpserts() {
        return personUpserts;
    }

    public List<HrChange.DeleteBatch> getPersonDeletes() {
        return personDeletes;
    }

    public List<HrChange.DeleteBatch> getOrgDeletes() {
        return orgDeletes;
    }

    public List<Rejection> getRejections() {
        return rejections;
    }

    /** sync_state rows of people never created on the platform and gone from HR: dropped locally, nothing to call. */
    public List<String> getForgotten() {
        return forgotten;
    }

    public int getUnchanged() {
        return unchanged;
    }

    void addUnchanged() {
        unchanged++;
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

    /** Number of records the run will send (upserts plus deleted ids): the "total" of the progress log. */
    public int getWorkload() {
        return orgUpserts.size() + personUpserts.size() + count(personDeletes) + count(orgDeletes);
    }

    private static int count(List<HrChange.DeleteBatch> batches) {
        return batches.stream().mapToInt(b -> b.thirdIds().size()).sum();
    }

    /** One line for the log and the sync_run row of a dry run. */
    public String describe() {
        long orgCreates = orgUpserts.stream().filter(HrChange.OrgUpsert::create).count();
        long personCreates = personUpserts.stream().filter(HrChange.PersonUpsert::isCreate).count();
        long uploads = personUpserts.stream().filter(HrChange.PersonUpsert::isPhotoUploadNeeded).count();
        return String.format("orgs: %d create, %d update, %d delete; people: %d create, %d update, %d delete, %d photo uploads; "
                        + "%d unchanged, %d rejected, %d deletes held",
                orgCreates, orgUpserts.size() - orgCreates, getOrgDeleteCount(), personCreates,
                personUpserts.size() - personCreates, getPersonDeleteCount(), uploads, unchanged, rejections.size(), getHeld());
    }
}
