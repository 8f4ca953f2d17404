package io.sophonsight.gateway.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's paging switches, on its business rules directly (and once through the admin API). */
class SimulatorPagingTest {

    private static final String EMPLOYEES = "/openapi/v1/cross/record/employee/getList";
    private static final String DEVICES = "/openapi/v1/cross/search";
    private final ObjectMapper mapper = new ObjectMapper();
    private final SimulatorState state = new SimulatorState();
    private final SimulatorPaging paging = new SimulatorPaging(SimulatorPaging.Settings.DEFAULT);
    private final SimulatedOpenApi api = new SimulatedOpenApi(state, paging);

    /** 10 employee records, two to a millisecond, at t = 1000, 1000, 1001, 1001, … */
    private void seedRecords() {
        for (int i = 0; i < 10; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("id", i);
            fields.put("thirdUserId", "E-" + i);
            fields.put("crossTime", 1000L + i / 2);
            state.addRecord(new SimulatorState.AccessRecord("employee", 1000L + i / 2, fields));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> query(String path, int index, int pageSize) {
        JsonNode body = mapper.createObjectNode().put("index", index).put("pageSize", pageSize)
                .put("startTime", 0).put("endTime", 10_000);
        return (Map<String, Object>) api.call(path, body);
    }

    @SuppressWarnings("unchecked")
    private List<Object> ids(Map<String, Object> data, String list, String field) {
        List<Object> ids = new ArrayList<>();
        ((List<Map<String, Object>>) data.get(list)).forEach(item -> ids.add(item.get(field)));
        return ids;
    }

    @Test
    void aCapLimitsThePageAndTheOffsetFollowsTheCappedSize() {
        seedRecords();
        paging.set(SimulatorPaging.Settings.DEFAULT.withPageSizeCap(3));
        Map<String, Object> page2 = query(EMPLOYEES, 2, 100);
        assertThat(ids(page2, "employees", "id")).containsExactly(3, 4, 5);
        assertThat(page2).containsEntry("totalCount", 10);
    }

    @Test
    void descendingListsNewestFirstAndOmitTotalLeavesTheTotalOut() {
        seedRecords();
        paging.set(SimulatorPaging.Settings.DEFAULT.withDescending(true).withOmitTotal(true));
        Map<String, Object> page = query(EMPLOYEES, 1, 2);
        assertThat(ids(page, "employees", "crossTime")).containsExactly(1004L, 1004L);
        assertThat(page).doesNotContainKey("totalCount");
    }

    @Test
    void reorderChangesTheOrderOfTiesBetweenCallsButNeverTheSortOrder() {
        seedRecords();
        paging.set(SimulatorPaging.Settings.DEFAULT.withReorder(true));
        List<List<Object>> orders = new ArrayList<>();
        for (int call = 0; call < 8; call++) {
            Map<String, Object> all = query(EMPLOYEES, 1, 10);
            assertThat(ids(all, "employees", "crossTime")).isSorted();
            assertThat(ids(all, "employees", "id")).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            orders.add(ids(all, "employees", "id"));
        }
        assertThat(orders.stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void insertsAddRecordsAtTheHeadOfTheWindowForTheGivenNumberOfCalls() {
        seedRecords();
        paging.set(SimulatorPaging.Settings.DEFAULT.withInserts(2, 2));
        assertThat(query(EMPLOYEES, 1, 100)).containsEntry("totalCount", 12);
        Map<String, Object> second = query(EMPLOYEES, 1, 100);
        assertThat(second).containsEntry("totalCount", 14);
        assertThat(query(EMPLOYEES, 1, 100)).containsEntry("totalCount", 14);
        // each inserted a millisecond before the earliest record, with ids of their own
        assertThat(ids(second, "employees", "crossTime").subList(0, 5)).containsExactly(996L, 997L, 998L, 999L, 1000L);
        assertThat(ids(second, "employees", "thirdUserId")).doesNotHaveDuplicates();
    }

    @Test
    void devicesFollowTheSameSwitches() {
        for (int i = 0; i < 5; i++) {
            state.putDevice(new SimulatorState.Device("BOX-" + i, 2, "Gate " + i, 100L + i));
        }
        paging.set(SimulatorPaging.Settings.DEFAULT.withDescending(true).withPageSizeCap(2).withInserts(1, 1));
        Map<String, Object> page1 = query(DEVICES, 1, 20);
        assertThat(ids(page1, "corssNodeOwnerships", "locationId")).hasSize(2).first().asString().startsWith("LATE-");
        assertThat(page1).containsEntry("totalSize", 6);
        assertThat(ids(query(DEVICES, 2, 20), "corssNodeOwnerships", "locationId")).containsExactly("BOX-3", "BOX-2");
    }

    @Test
    void theAdminApiSetsAndResetsTheSwitches() throws Exception {
        SophonSightSimulator simulator = new SophonSightSimulator(mapper, "app", "secret",
                new SimulatorPusher.Config("http://localhost:1/a", "http://localhost:1/d"), false,
                SimulatorPaging.Settings.DEFAULT.withPageSizeCap(20));
        simulator.start("127.0.0.1", 0, 0);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + simulator.port() + "/simulator/";
            HttpResponse<String> set = http.send(HttpRequest.newBuilder(URI.create(base + "paging"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"pageSizeCap\":50,\"descending\":true,\"omitTotal\":true}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(set.statusCode()).isEqualTo(200);
            assertThat(simulator.paging().settings())
                    .isEqualTo(SimulatorPaging.Settings.DEFAULT.withPageSizeCap(50).withDescending(true).withOmitTotal(true));
            http.send(HttpRequest.newBuilder(URI.create(base + "reset")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            // back to the switches of start-up
            assertThat(simulator.paging().settings()).isEqualTo(SimulatorPaging.Settings.DEFAULT.withPageSizeCap(20));
        } finally {
            simulator.close();
        }
    }
}
