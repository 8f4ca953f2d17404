package io.sophonsight.gateway.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The gateway's own database for one test context, test process or unit test: with {@code -Ppostgres} (system
 * property {@code gateway.test.postgres-url}) a fresh schema of its own in that PostgreSQL, otherwise H2 as the
 * gateway runs by default. Every user of the database gets a schema of its own, so tests never see each other's
 * rows, also when several test JVMs share the server.
 *
 * <pre>{@code
 * TestDatabase db = TestDatabase.fresh("writer").migrated();   // unit test: Flyway's scripts, then use db.dataSource()
 * TestDatabase.fresh("recipes").registerAsGatewayDatabase(registry);   // a Spring context of its own
 * GatewayProcess.gateway("packaged")                            // a process: GATEWAY_DB_URL etc. set by the test kit
 * }</pre>
 */
public final class TestDatabase {

    private static final String POSTGRES_URL = System.getProperty("gateway.test.postgres-url", "");
    private static final String POSTGRES_USER = System.getProperty("gateway.test.postgres-user", "gateway");
    private static final String POSTGRES_PASSWORD = System.getProperty("gateway.test.postgres-password", "gateway");
    /** The options of the gateway's default H2 URL (application.yaml), so H2 tests run the engine as deployed. */
    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    private final String url;
    private final String user;
    private final String password;
    /** The PostgreSQL schema, or null on H2. */
    private final String schema;

    private TestDatabase(String url, String user, String password, String schema) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    /** True in the {@code postgres} pass ({@code mvn verify -Ppostgres}). */
    public static boolean onPostgres() {
        return !POSTGRES_URL.isBlank();
    }

    /** The PostgreSQL server's URL of the {@code postgres} pass, blank on H2. */
    public static String postgresUrl() {
        return POSTGRES_URL;
    }

    /**
     * A database nobody else uses: a new schema {@code test_<name>_<unique>} on PostgreSQL (created on first
     * use: {@link #create()}, Flyway or {@link GatewayProcess#start()}), an in-memory H2 database otherwise.
     */
    public static TestDatabase fresh(String name) {
        String unique = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (onPostgres()) {
            String schema = ("test_" + unique);
            schema = schema.length() > 63 ? schema.substring(schema.length() - 63) : schema;
            return new TestDatabase(withSchema(POSTGRES_URL, schema), POSTGRES_USER, POSTGRES_PASSWORD, schema);
        }
        return new TestDatabase("jdbc:h2:mem:" + unique + H2_OPTIONS + ";DB_CLOSE_DELAY=-1", "sa", "", null);
    }

    /** An H2 file database (the gateway's default engine and options) at {@code file}, plus extra URL options. */
    public static TestDatabase h2File(java.nio.file.Path file, String extraOptions) {
        return new TestDatabase("jdbc:h2:file:" + file + H2_OPTIONS + ";WRITE_DELAY=0"
                + (extraOptions.isBlank() ? "" : ";" + extraOptions), "sa", "", null);
    }

    /** A database URL of the pass's engine where nothing answers (a database that is down). */
    public static String unreachableUrl() {
        return onPostgres() ? "jdbc:postgresql://127.0.0.1:1/nothing" : "jdbc:h2:tcp://127.0.0.1:1/nothing";
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean isPostgres() {
        return schema != null;
    }

    /** Creates the PostgreSQL schema if it is not there yet (H2 creates its database on the first connection). */
    public TestDatabase create() {
        if (schema != null) {
            try (Connection admin = DriverManager.getConnection(POSTGRES_URL, user, password);
                 Statement sql = admin.createStatement()) {
                sql.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create schema " + schema + " on " + POSTGRES_URL, e);
            }
        }
        return this;
    }

    /** Creates it and runs the gateway's Flyway scripts, as the gateway does at start-up. */
    public TestDatabase migrated() {
        create();
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").load().migrate();
        return this;
    }

    /** A new connection per call, nothing pooled: tests see exactly the connections they ask for. */
    public DataSource dataSource() {
        return new DriverManagerDataSource(url, user, password);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /**
     * The gateway context's own database ({@code spring.datasource.*}); Flyway creates and migrates it at start-up.
     * On H2 nothing is registered: the context keeps its default file database under its own data folder.
     */
    public void registerAsGatewayDatabase(DynamicPropertyRegistry registry) {
        if (schema != null) {
            registry.add("spring.datasource.url", () -> url);
            registry.add("spring.datasource.username", () -> user);
            registry.add("spring.datasource.password", () -> password);
            registry.add("spring.flyway.schemas", () -> schema);
        }
    }

    /** The environment of a gateway process on this database (application.yaml's {@code GATEWAY_DB_*}). */
    public Map<String, String> gatewayEnvironment() {
        return Map.of("GATEWAY_DB_URL", url, "GATEWAY_DB_USER", user, "GATEWAY_DB_PASSWORD", password);
    }

    /** Drops the PostgreSQL schema with everything in it; on H2 drops the in-memory database's objects. */
    public void drop() {
        try (Connection admin = schema != null ? DriverManager.getConnection(POSTGRES_URL, user, password) : connect();
             Statement sql = admin.createStatement()) {
            sql.execute(schema != null ? "DROP SCHEMA IF EXISTS " + schema + " CASCADE" : "DROP ALL OBJECTS");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop " + (schema != null ? schema : url), e);
        }
    }

    @Override
    public String toString() {
        return schema != null ? "PostgreSQL schema " + schema : url;
    }

    private static String withSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
