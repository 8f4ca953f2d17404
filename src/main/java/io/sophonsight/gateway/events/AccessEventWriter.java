package io.sophonsight.gateway.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The insert of {@code direct:access-event-store}: one access event row (and its staged images) per
 * call, committed together with the rows other threads are inserting at the same moment (group
 * commit). Each caller returns only once the transaction holding its row is committed, so a push is
 * still acknowledged only when it is durable; what changes is that eight concurrent pushes cost one
 * commit instead of eight. The commit is the largest single cost of a push (an H2 commit rewrites every
 * B-tree page the transaction touched; PostgreSQL flushes its WAL), which is why this is done in
 * Java: a route cannot share one transaction between the request threads of several exchanges.
 *
 * <p>No thread waits for a batch to fill: the first caller to find no commit in progress commits
 * whatever is queued at that moment (at least its own row); callers arriving meanwhile queue and
 * are committed by the next one. Under light load every batch holds one row, as before. Batches
 * are capped at {@code push.store.max-batch} rows; 1 turns grouping off.
 *
 * <p>The SQL is {@code sql/access-event-store/insert-event.sql} and {@code insert-event-images.sql} on the
 * classpath (camel-sql's {@code :#name} parameters, read here as Spring's {@code :name}). If a batch fails, its
 * rows are retried one transaction each, so one bad row fails only its own push. Each transaction
 * first locks the identity stripes of all its rows in ascending order, then stores the rows one by
 * one through {@link AccessEventIdentity} (a resend, the other source's row of the same pass, or a
 * new row), in dedupe-key order, so two replicas' batches on PostgreSQL cannot deadlock on each other.
 */
@Component("accessEventWriter")
public class AccessEventWriter {

    /** The statements, in the folder of the flow that runs them (routes/access-event-store.camel.yaml). */
    static final String INSERT_EVENT_SQL = "sql/access-event-store/insert-event.sql";
    static final String INSERT_IMAGES_SQL = "sql/access-event-store/insert-event-images.sql";

    private static final Logger LOG = LoggerFactory.getLogger(AccessEventWriter.class);

    private final AccessEventStore rows;
    private final TransactionTemplate transactions;
    private final AccessEventIdentity identity;
    private final int maxBatch;
    private final DistributionSummary batchSizes;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    private final List<Pending> queue = new ArrayList<>();
    private boolean committing;

    @Autowired
    public AccessEventWriter(@Qualifier("dataSource") DataSource dataSource, PlatformTransactionManager transactionManager,
                             AccessEventStore rows, @Value("${push.store.max-batch}") int maxBatch,
                             @Value("${push.identity.tolerance}") Duration identityTolerance, MeterRegistry registry) {
        this(dataSource, transactionManager, rows, sqlFile(INSERT_EVENT_SQL), sqlFile(INSERT_IMAGES_SQL), maxBatch,
                identityTolerance, registry);
    }

    /** With the statements given (tests of older or other SQL). */
    AccessEventWriter(DataSource dataSource, PlatformTransactionManager transactionManager, AccessEventStore rows,
                      String insertEvent, String insertImages, int maxBatch, Duration identityTolerance,
                      MeterRegistry registry) {
        this.rows = rows;
        this.transactions = new TransactionTemplate(transactionManager);
        this.identity = new AccessEventIdentity(new NamedParameterJdbcTemplate(dataSource), springParameters(insertEvent),
                springParameters(insertImages), identityTolerance);
        this.maxBatch = Math.max(1, maxBatch);
        this.batchSizes = DistributionSummary.builder("gateway.access.event.commit.rows")
                .description("Access events committed per database transaction of the store step (group commit)")
                .register(registry);
    }

    /** A statement file on the classpath without its {@code --} comment lines, as camel-sql reads it. */
    static String sqlFile(String path) {
        try (var in = new ClassPathResource(path).getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.trim().startsWith("--") && !line.isBlank())
                    .collect(java.util.stream.Collectors.joining("\n"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + path + " from the classpath", e);
        }
    }

    /** camel-sql's {@code :#name} parameters as Spring's {@code :name}. */
    static String springParameters(String sql) {
        return sql.replaceAll(":#(\\w+)", ":$1");
    }

    /**
     * Stores a canonical access event: its row ({@link AccessEventStore#row}: dedupe key set on the event, base64
     * images moved into the row) inserted and committed. Returns {@code stored} (a new row), {@code duplicate}
     * (the same push or query record was there) or {@code matched} (the same pass, learned from the other
     * source, was there). Throws whatever kept the row from being committed (nothing was stored then).
     */
    public String store(Map<String, Object> event) throws com.fasterxml.jackson.core.JsonProcessingException {
        return insert(rows.row(event));
    }

    /** Inserts the row of {@link AccessEventStore#row} and returns its outcome once it is committed. */
    String insert(Map<String, Object> row) {
        Pending mine = new Pending(row);
        lock.lock();
        try {
            queue.add(mine);
            while (!mine.done) {
                if (committing) {
                    committed.awaitUninterruptibly();
                    continue;
                }
                committing = true;
                List<Pending> batch = take();
                lock.unlock();
                try {
                    write(batch);
                } finally {
                    lock.lock();
                    committing = false;
                    committed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.outcome;
    }

    /** Rows waiting for a commit in progress to end (tests, diagnostics). */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** The next batch: the oldest queued rows, at most max-batch. */
    private List<Pending> take() {
        int n = Math.min(maxBatch, queue.size());
        List<Pending> batch = new ArrayList<>(queue.subList(0, n));
        queue.subList(0, n).clear();
        return batch;
    }

    /** Commits the batch in one transaction; on failure each row in a transaction of its own. Marks every row done. */
    private void write(List<Pending> batch) {
        try {
            if (batch.size() > 1) {
                try {
                    commit(batch);
                    batchSizes.record(batch.size());
                    return;
                } catch (RuntimeException e) {
                    LOG.debug("A batch of {} access events failed ({}); storing them one by one", batch.size(), e.toString());
                }
            }
            for (Pending one : batch) {
                try {
                    commit(List.of(one));
                    batchSizes.record(1);
                } catch (RuntimeException e) {
                    one.failure = e;
                }
            }
        } catch (Error e) {
            for (Pending one : batch) {
                one.failure = new IllegalStateException("the access event could not be stored: " + e, e);
            }
            throw e;
        } finally {
            for (Pending one : batch) {
                one.done = true;
            }
        }
    }

    private void commit(List<Pending> batch) {
        List<Pending> ordered = new ArrayList<>(batch);
        ordered.sort(Comparator.comparing(p -> String.valueOf(p.row.get("dedupeKey"))));
        SortedSet<Integer> stripes = new TreeSet<>();
        for (Pending one : ordered) {
            Object rowStripes = one.row.get(AccessEventStore.STRIPES);
            if (rowStripes instanceof Collection<?> list) {
                list.forEach(stripe -> stripes.add((Integer) stripe));
            }
        }
        String[] outcomes = transactions.execute(status -> {
            // the identity stripes of every row first, in ascending order: a push and a query record of the
            // same pass (other threads, other replicas) are matched one after the other, never side by side
            identity.lock(stripes);
            String[] results = new String[ordered.size()];
            for (int i = 0; i < ordered.size(); i++) {
                results[i] = identity.store(ordered.get(i).row);
            }
            return results;
        });
        for (int i = 0; i < ordered.size(); i++) {
            ordered.get(i).outcome = outcomes == null ? null : outcomes[i];
        }
    }

    /** A caller's row and what became of it; written and read under the lock. */
    private static final class Pending {
        final Map<String, Object> row;
        boolean done;
        String outcome;
        RuntimeException failure;

        Pending(Map<String, Object> row) {
            this.row = row;
        }
    }
}
