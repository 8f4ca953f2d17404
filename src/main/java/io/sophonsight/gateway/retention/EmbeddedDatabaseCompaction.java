package io.sophonsight.gateway.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.Store;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Keeps the embedded H2 file from growing without bound. The gateway opens H2 with {@code WRITE_DELAY=0}
 * (every commit is on disk before a push is acknowledged), and then H2 runs no background writer, which
 * is also what would otherwise rewrite sparse chunks: every commit appends a new chunk, rows deleted later
 * (fanned-out images, retention) leave old chunks mostly empty but still referenced, and the file only
 * grows (0.9 MB to 337 MB in 4 minutes at 50 pushes/s). This step does the rewrite the background writer
 * would: it copies the live pages of the sparsest chunks into a new chunk ({@link MVStore#compact}), after
 * which those chunks hold nothing live and H2 reuses their space after its retention time (the default URL
 * sets {@code RETENTION_TIME=5000}: H2's own 45 s kept the dead chunks of 45 s of commits, which mattered more). It writes through H2's normal commit path, so durability is unchanged; it never moves chunks
 * or truncates the file (that is {@code compactFile}, which sets the retention time to 0).
 *
 * <p>Anything other than an embedded H2 file (PostgreSQL, H2 in memory or over TCP) is left alone.
 */
@Component("embeddedDatabaseCompaction")
public class EmbeddedDatabaseCompaction {

    private final DataSource dataSource;

    public EmbeddedDatabaseCompaction(@Qualifier("dataSource") DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Rewrites up to {@code writeMegabytes} of live pages if the live share of the file's chunks is below
     * {@code targetFillRate} percent. Returns {@code embedded} (false: nothing to do on this database),
     * {@code rewritten}, {@code fileMegabytes} and {@code fillRate} (percent, after the rewrite).
     */
    public Map<String, Object> compact(int targetFillRate, int writeMegabytes) throws SQLException {
        Map<String, Object> result = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            MVStore store = embeddedStore(connection);
            result.put("embedded", store != null);
            if (store == null) {
                return result;
            }
            boolean rewritten = store.compact(targetFillRate, writeMegabytes * 1024 * 1024);
            result.put("rewritten", rewritten);
            result.put("fileMegabytes", store.getFileStore().size() / (1024 * 1024));
            result.put("fillRate", store.getFileStore().getChunksFillRate());
        }
        return result;
    }

    /** The MVStore behind an embedded H2 file connection; null for any other database. */
    private static MVStore embeddedStore(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)) {
            return null;
        }
        Session session = connection.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionLocal local) || !local.getDatabase().isPersistent()) {
            return null;
        }
        Store store = local.getDatabase().getStore();
        MVStore mvStore = store == null ? null : store.getMvStore();
        return mvStore == null || mvStore.getFileStore() == null || mvStore.isClosed() ? null : mvStore;
    }
}
