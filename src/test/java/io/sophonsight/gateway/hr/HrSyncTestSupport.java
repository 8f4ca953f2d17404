package io.sophonsight.gateway.hr;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.simulator.SimulatorState;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shared set-up of the HR sync tests: HR back to the original sample, the gateway's sync_state
 * empty, the platform (simulator) empty, no held deletes. Tests change HR with plain SQL through
 * {@code hrDataSource}, as an HR system would, and start runs through {@code direct:hr-sync-run}.
 * Public, so other suites (e.g. the reliability suite) build on the same set-up and comparison.
 */
public abstract class HrSyncTestSupport extends GatewayTestSupport {

    protected static final String UPLOAD = "/openapi/v1/pic/upload";
    protected static final String PERSON_ADD = "/openapi/v1/syncuser/addOrEdit";
    protected static final String PERSON_DELETE = "/openapi/v1/syncuser/delete";
    protected static final String ORG_ADD = "/openapi/v1/syncdept/addOrEdit";
    protected static final String ORG_DELETE = "/openapi/v1/syncdept/delete";

    @Autowired
    @Qualifier("hrDataSource")
    protected DataSource hrDataSource;

    @Autowired
    @Qualifier("dataSource")
    protected DataSource gatewayDataSource;

    @Autowired
    protected HrSampleData sample;

    @Autowired
    protected HrDeletionGuard guard;

    @Autowired
    protected HrSyncRuns runs;

    protected JdbcTemplate hr;
    protected JdbcTemplate gateway;

    @BeforeEach
    void startFromTheSample() {
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.active() == null); // no run of an earlier test still going
        hr = new JdbcTemplate(hrDataSource);
        gateway = new JdbcTemplate(gatewayDataSource);
        sample.reset(hrDataSource);
        gateway.update("DELETE FROM sync_state");
        gateway.update("DELETE FROM dead_letter WHERE flow = 'hr-sync-run'");
        guard.clear();
        guard.setThresholdPercent(20);
    }

    protected HrSyncRun run(String mode) {
        return producer.requestBodyAndHeader("direct:hr-sync-run", null, "HrSyncMode", mode, HrSyncRun.class);
    }

    protected HrSyncRun dryRun(String mode) {
        return producer.requestBodyAndHeaders("direct:hr-sync-run", null, Map.of("HrSyncMode", mode, "HrSyncDryRun", true),
                HrSyncRun.class);
    }

    /** A moment after every sample row, so incremental runs see the change. */
    protected static Timestamp later() {
        return Timestamp.valueOf(LocalDateTime.now().plusSeconds(1));
    }

    protected int hrPeople() {
        return hr.queryForObject("SELECT COUNT(*) FROM employee", Integer.class);
    }

    protected long calls(String path) {
        return simulator.state().calls(path);
    }

    /** The platform holds exactly HR's orgs and people, each person with HR's photo bytes (or none). */
    protected void assertPlatformEqualsHr() {
        SimulatorState state = simulator.state();
        Map<String, String[]> hrOrgs = new HashMap<>();
        hr.query("SELECT id, name, parent_id FROM department", rs -> {
            hrOrgs.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3) == null ? "" : rs.getString(3)});
        });
        assertThat(state.orgs()).extracting(SimulatorState.Org::thirdId).containsExactlyInAnyOrderElementsOf(hrOrgs.keySet());
        for (SimulatorState.Org org : state.orgs()) {
            assertThat(new String[] {org.name(), org.thirdParentId()}).as("org %s", org.thirdId()).containsExactly(hrOrgs.get(org.thirdId()));
        }
        List<Map<String, Object>> people = hr.queryForList("SELECT id, name, department_id, mobile, photo FROM employee");
        assertThat(state.people()).extracting(SimulatorState.Person::thirdId)
                .containsExactlyInAnyOrderElementsOf(people.stream().map(p -> (String) p.get("id")).toList());
        for (Map<String, Object> row : people) {
            SimulatorState.Person person = state.person((String) row.get("id"));
            assertThat(person.name()).isEqualTo(row.get("name"));
            assertThat(person.thirdDeptId()).isEqualTo(row.get("department_id"));
            assertThat(person.phone()).isEqualTo(row.get("mobile") == null ? "" : row.get("mobile"));
            byte[] photo = (byte[]) row.get("photo");
            if (photo == null) {
                assertThat(person.facePicture()).as("face of %s", person.thirdId()).isNull();
            } else {
                assertThat(person.facePicture()).as("face of %s", person.thirdId()).isNotNull();
                assertThat(state.photo(person.facePicture())).as("photo bytes of %s", person.thirdId()).isEqualTo(photo);
            }
        }
    }
}
