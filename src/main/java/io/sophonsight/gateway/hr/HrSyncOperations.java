package io.sophonsight.gateway.hr;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * JMX (and so Jolokia) operations of the HR sync, next to the deletion guard: start a full reconciliation now,
 * and see the running and the last run. A run started here is the same run as a scheduled one or
 * {@code POST /api/hr-sync/run?mode=FULL}: it goes through {@code direct:hr-sync-run}, in the background,
 * and records itself in {@code sync_run}.
 */
@Component("hrSyncOperations")
@ManagedResource(objectName = HrSyncOperations.OBJECT_NAME,
        description = "HR sync operations: run a full reconciliation now, the running and the last run")
public class HrSyncOperations {

    public static final String OBJECT_NAME = "io.sophonsight.gateway:type=HrSync,name=Operations";
    private static final Logger LOG = LoggerFactory.getLogger(HrSyncOperations.class);

    private final HrSyncRuns runs;
    private final ProducerTemplate producer;

    public HrSyncOperations(HrSyncRuns runs, @Lazy ProducerTemplate producer) {
        this.runs = runs;
        this.producer = producer;
    }

    /**
     * Starts a full reconciliation (it also finds deletes) unless a run is going, on this or another replica;
     * answers what happened. The run begins here, so the answer is true: "started" means it runs.
     */
    @ManagedOperation(description = "Start a full HR reconciliation now (in the background); answers whether it started")
    public String runFullReconciliation() {
        // the run begins here (direct:hr-sync-begin takes the run lock), so "started" means it runs
        Exchange begun = producer.request("direct:hr-sync-begin",
                exchange -> exchange.getMessage().setHeader("HrSyncMode", HrSyncMode.FULL.name()));
        if (begun.getException() != null) {
            return "Not started: " + begun.getException().getMessage();
        }
        HrSyncRun run = begun.getProperty(HrSyncRuns.RUN, HrSyncRun.class);
        if (run == null) {
            HrSyncRun running = runs.active();
            return running != null ? "Not started: another run is still going - " + running.summary()
                    : "Not started: another run is still going - " + runs.busyReason();
        }
        LOG.info("HR sync: full reconciliation requested over JMX");
        producer.asyncSend("direct:hr-sync-run", exchange -> {
            exchange.setProperty(HrSyncRuns.RUN, run);
            exchange.getMessage().setHeader("HrSyncMode", HrSyncMode.FULL.name());
        }).thenAccept(done -> {
            if (done.getException() != null) {
                LOG.warn("HR sync: the full reconciliation requested over JMX failed: {}", done.getException().toString());
            }
        });
        return "Full reconciliation started; see attributes Running and LastRun, or GET /api/hr-sync/status";
    }

    @ManagedAttribute(description = "The run going on now (summary line), empty when none")
    public String getRunning() {
        HrSyncRun running = runs.active();
        return running == null ? "" : running.summary();
    }

    @ManagedAttribute(description = "The last run that ended since start-up (summary line), empty when none")
    public String getLastRun() {
        HrSyncRun last = runs.last();
        return last == null ? "" : last.summary();
    }
}
