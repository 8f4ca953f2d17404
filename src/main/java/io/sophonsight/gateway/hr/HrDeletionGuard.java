package io.sophonsight.gateway.hr;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * Protection against mass deletion: a run that would delete more than the threshold share of the
 * people or orgs the gateway knows holds all its deletes and raises an alert, until an operator
 * confirms (JMX operation {@code confirmHeldDeletes}, REST {@code POST /api/hr-sync/confirm-deletes},
 * or {@code hr.sync.deletion.confirmed=true}). An HR view that suddenly returns nothing must not
 * wipe the platform.
 */
@Component("hrDeletionGuard")
@ManagedResource(objectName = "io.sophonsight.gateway:type=HrSync,name=DeletionGuard",
        description = "Holds HR sync deletes above the threshold until an operator confirms them")
public class HrDeletionGuard {

    private static final Logger LOG = LoggerFactory.getLogger(HrDeletionGuard.class);

    /** Deletes of one run that were held: what a confirmation releases. */
    public record Held(int people, int orgs, int knownPeople, int knownOrgs, Instant since) { }

    private final boolean alwaysConfirmed;
    private volatile double thresholdPercent;
    private volatile Held held;
    private volatile Held confirmed;

    @Autowired
    public HrDeletionGuard(HrProperties hr) {
        this(hr.sync().deletion().thresholdPercent(), hr.sync().deletion().confirmed());
    }

    public HrDeletionGuard(double thresholdPercent, boolean alwaysConfirmed) {
        this.thresholdPercent = thresholdPercent;
        this.alwaysConfirmed = alwaysConfirmed;
    }

    /**
     * True when the run may delete this many people and orgs. Over the threshold and not confirmed:
     * false, the deletes are held and an alert is logged. A dry run only reports, it changes nothing here.
     */
    public synchronized boolean allows(int personDeletes, int knownPeople, int orgDeletes, int knownOrgs, boolean dryRun) {
        boolean over = over(personDeletes, knownPeople) || over(orgDeletes, knownOrgs);
        if (!over || alwaysConfirmed) {
            if (!dryRun) {
                held = null; // HR is back to normal: nothing waits for a confirmation any more
            }
            return true;
        }
        Held release = confirmed;
        if (release != null && personDeletes <= release.people() && orgDeletes <= release.orgs()) {
            if (!dryRun) {
                confirmed = null;
                held = null;
                LOG.warn("HR sync: deleting {} people and {} orgs, over the {}% threshold, as confirmed by an operator",
                        personDeletes, orgDeletes, thresholdPercent);
            }
            return true;
        }
        if (!dryRun) {
            Held previous = held;
            held = new Held(personDeletes, orgDeletes, knownPeople, knownOrgs,
                    previous != null && previous.people() == personDeletes && previous.orgs() == orgDeletes
                            ? previous.since() : Instant.now());
            confirmed = null;
        }
        LOG.warn("HR sync ALERT: deletes HELD - this run would delete {} of {} people and {} of {} orgs, more than the "
                        + "{}% threshold. Check the HR source; if the deletes are right, confirm them with the JMX operation "
                        + "confirmHeldDeletes on io.sophonsight.gateway:type=HrSync,name=DeletionGuard, "
                        + "POST /api/hr-sync/confirm-deletes, or HR_SYNC_DELETES_CONFIRMED=true",
                personDeletes, knownPeople, orgDeletes, knownOrgs, thresholdPercent);
        return false;
    }

    private boolean over(int deletes, int known) {
        return deletes > 0 && deletes * 100.0 > known * thresholdPercent;
    }

    /** Releases the deletes currently held: the next full run may delete up to that many people and orgs. */
    @ManagedOperation(description = "Confirm the held deletes; the next full run performs them")
    public synchronized String confirmHeldDeletes() {
        Held current = held;
        if (current == null) {
            return "No deletes are held";
        }
        confirmed = current;
        LOG.warn("HR sync: operator confirmed {} person and {} org deletes held since {}; the next full run performs them",
                current.people(), current.orgs(), current.since());
        return "Confirmed " + current.people() + " person and " + current.orgs() + " org deletes; the next full run performs them";
    }

    @ManagedAttribute(description = "People deletes held by the threshold (0 = none)")
    public int getHeldPersonDeletes() {
        Held current = held;
        return current == null ? 0 : current.people();
    }

    @ManagedAttribute(description = "Org deletes held by the threshold (0 = none)")
    public int getHeldOrgDeletes() {
        Held current = held;
        return current == null ? 0 : current.orgs();
    }

    @ManagedAttribute(description = "Since when deletes are held (empty = none)")
    public String getHeldSince() {
        Held current = held;
        return current == null ? "" : current.since().toString();
    }

    @ManagedAttribute(description = "True when held deletes were confirmed and wait for the next full run")
    public boolean isConfirmationPending() {
        return confirmed != null;
    }

    @ManagedAttribute(description = "Share of known people or orgs (percent) one run may delete without confirmation")
    public double getThresholdPercent() {
        return thresholdPercent;
    }

    @ManagedAttribute(description = "Share of known people or orgs (percent) one run may delete without confirmation")
    public void setThresholdPercent(double percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("threshold must be between 0 and 100 percent");
        }
        this.thresholdPercent = percent;
    }

    public Held held() {
        return held;
    }

    /** Forgets held and confirmed deletes (e.g. after HR was fixed and a run deleted nothing). */
    public synchronized void clear() {
        held = null;
        confirmed = null;
    }
}
