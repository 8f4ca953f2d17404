package io.sophonsight.gateway.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

/**
 * The push benchmark's baseline insert with the same group commit as the gateway's
 * {@code AccessEventWriter}: the first caller to find no commit in progress commits every row queued at
 * that moment (at most {@code maxBatch}) in one transaction; callers arriving meanwhile wait and are
 * committed by the next one; each caller returns only once its own row is committed. A failed batch is
 * retried one row per transaction. It is the best a hand-written server can do, so the ratio against it
 * measures the stack, not the commit strategy.
 */
final class BaselineGroupCommit {

    private final DataSource dataSource;
    private final String sql;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    private final List<Pending> queue = new ArrayList<>();
    private boolean committing;

    BaselineGroupCommit(DataSource dataSource, String sql, int maxBatch) {
        this.dataSource = dataSource;
        this.sql = sql;
        this.maxBatch = Math.max(1, maxBatch);
    }

    /** Inserts one row ({@code sql}'s parameters in order); returns once it is committed, throws if it was not. */
    void insert(Object... parameters) throws SQLException {
        Pending mine = new Pending(parameters);
        lock.lock();
        try {
            queue.add(mine);
            while (!mine.done) {
                if (committing) {
                    committed.awaitUninterruptibly();
                    continue;
                }
                committing = true;
                int n = Math.min(maxBatch, queue.size());
                List<Pending> batch = new ArrayList<>(queue.subList(0, n));
                queue.subList(0, n).clear();
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
    }

    private void write(List<Pending> batch) {
        try {
            if (batch.size() > 1) {
                try {
                    commit(batch);
                    return;
                } catch (SQLException e) {
                    // one by one below, so one bad row fails only its own request
                }
            }
            for (Pending one : batch) {
                try {
                    commit(List.of(one));
                } catch (SQLException e) {
                    one.failure = e;
                }
            }
        } finally {
            batch.forEach(one -> one.done = true);
        }
    }

    private void commit(List<Pending> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (Pending one : batch) {
                    for (int i = 0; i < one.parameters.length; i++) {
                        insert.setObject(i + 1, one.parameters[i]);
                    }
                    insert.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static final class Pending {
        final Object[] parameters;
        boolean done;
        SQLException failure;

        Pending(Object[] parameters) {
            this.parameters = parameters;
        }
    }
}
