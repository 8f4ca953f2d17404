package io.sophonsight.gateway.devices;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.simulator.SimulatorFaults;
import io.sophonsight.gateway.simulator.SimulatorState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device inventory flow ({@code routes/device-inventory.camel.yaml}) against the simulator over
 * real HTTP: several pages, removed devices, reappearing devices, and a pass that fails midway.
 * Passes are started through {@code direct:device-inventory-run}; the cron never fires in tests.
 */
class DeviceInventoryTest extends GatewayTestSupport {

    private static final String SEARCH = "/openapi/v1/cross/search";
    private static final long CREATED = 1_700_000_000_000L;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private ObjectMapper mapper;

    @BeforeEach
    void emptyInventory() {
        jdbc.update("DELETE FROM device");
        jdbc.update("DELETE FROM device_inventory_pass");
    }

    private void seedDevices(int count) {
        for (int i = 1; i <= count; i++) {
            simulator.state().putDevice(device(i));
        }
    }

    private static SimulatorState.Device device(int i) {
        return new SimulatorState.Device(deviceId(i), 1 + i % 6, "Gate " + i, CREATED + i);
    }

    private static String deviceId(int i) {
        return String.format("BOX-%04d", i);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> runPass() {
        return producer.requestBody("direct:device-inventory-run", null, Map.class);
    }

    private Timestamp removedAt(String locationId) {
        return jdbc.queryForObject("SELECT removed_at FROM device WHERE location_id = ?", Timestamp.class, locationId);
    }

    private int activeDevices() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM device WHERE removed_at IS NULL", Integer.class);
    }

    @Test
    void passReadsEveryPageAndStoresEachDeviceOnce() {
        // Given 250 devices on the platform: three pages of 100 (the last one short)
        seedDevices(250);

        // When an inventory pass runs
        Map<String, Object> summary = runPass();

        // Then every page was read, and the empty fourth page proved the end (totalSize may count rows or pages)
        assertThat(summary).containsEntry("status", "COMPLETE").containsEntry("pages", 4)
                .containsEntry("devicesListed", 250).containsEntry("devicesRemoved", 0);
        assertThat(simulator.state().calls(SEARCH)).isEqualTo(4);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM device", Integer.class)).isEqualTo(250);
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM device WHERE location_id = 'BOX-0007'");
        assertThat(row.get("node_type")).isEqualTo(2);   // the simulator sends nodeType as the string "2"
        assertThat(row.get("name")).isEqualTo("Gate 7");
        assertThat(((Timestamp) jdbc.queryForObject("SELECT created_at FROM device WHERE location_id = 'BOX-0007'",
                Timestamp.class)).getTime()).isEqualTo(CREATED + 7);
        assertThat(row.get("first_seen_at")).isNotNull();
        assertThat(row.get("removed_at")).isNull();
        Map<String, Object> pass = jdbc.queryForMap("SELECT * FROM device_inventory_pass");
        assertThat(pass).containsEntry("status", "COMPLETE").containsEntry("pages", 4).containsEntry("devices_listed", 250);
        assertThat(pass.get("finished_at")).isNotNull();
    }

    @Test
    void deviceNoLongerListedIsMarkedRemovedAndUnremovedWhenItReappears() {
        // Given an inventory of 150 devices (two pages)
        seedDevices(150);
        runPass();
        Timestamp firstSeen = jdbc.queryForObject("SELECT first_seen_at FROM device WHERE location_id = 'BOX-0042'", Timestamp.class);

        // When the platform stops listing BOX-0042 (which shifts every later device one place up) and a pass runs
        simulator.state().removeDevice("BOX-0042");
        Map<String, Object> summary = runPass();

        // Then BOX-0042 is kept but marked removed, and only it
        assertThat(summary).containsEntry("status", "COMPLETE").containsEntry("devicesListed", 149)
                .containsEntry("devicesRemoved", 1);
        assertThat(removedAt("BOX-0042")).isNotNull();
        assertThat(activeDevices()).isEqualTo(149);

        // When it is listed again
        simulator.state().putDevice(device(42));
        Map<String, Object> again = runPass();

        // Then it is active again, still with the day it was first seen
        assertThat(again).containsEntry("status", "COMPLETE").containsEntry("devicesRemoved", 0);
        assertThat(removedAt("BOX-0042")).isNull();
        assertThat(activeDevices()).isEqualTo(150);
        assertThat(jdbc.queryForObject("SELECT first_seen_at FROM device WHERE location_id = 'BOX-0042'", Timestamp.class))
                .isEqualTo(firstSeen);
    }

    @Test
    void passThatFailsAfterTheFirstPageMarksNothingRemoved() {
        // Given a complete inventory of 250 devices, after which the platform drops one of them
        seedDevices(250);
        runPass();
        simulator.state().removeDevice("BOX-0249");

        // When the platform fails every page after the first (through all retries) during the next pass
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, SEARCH, 1, -1, 503, 0,
                null, 0, null, null));
        Map<String, Object> failed = runPass();

        // Then the pass is recorded as failed with its reason, and no device is marked removed
        assertThat(failed).containsEntry("status", "FAILED").containsEntry("pages", 1).containsEntry("devicesRemoved", 0);
        assertThat((String) failed.get("failureReason")).contains("SophonSight unavailable for /openapi/v1/cross/search");
        assertThat(activeDevices()).isEqualTo(250);
        assertThat(jdbc.queryForObject("SELECT status FROM device_inventory_pass WHERE pass_id = ?", String.class,
                failed.get("passId"))).isEqualTo("FAILED");

        // When the platform is back and the next pass completes
        simulator.faults().clear();
        Map<String, Object> complete = runPass();

        // Then the device that is really gone is marked removed
        assertThat(complete).containsEntry("status", "COMPLETE").containsEntry("devicesRemoved", 1);
        assertThat(removedAt("BOX-0249")).isNotNull();
        assertThat(activeDevices()).isEqualTo(249);
    }

    @Test
    void emptyPlatformListAfterAFailedFirstPageRemovesNothing() {
        // Given a stored inventory
        seedDevices(3);
        runPass();

        // When the very first page of the next pass fails
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, SEARCH, 0, -1, 503, 0,
                null, 0, null, null));
        Map<String, Object> failed = runPass();

        // Then nothing is marked removed
        assertThat(failed).containsEntry("status", "FAILED").containsEntry("pages", 0);
        assertThat(activeDevices()).isEqualTo(3);
    }

    @Test
    void scheduleFiresOnTheConfiguredCronOnly() {
        // Given the gateway's configuration (tests set a cron that never fires, so passes run only on demand)
        // Then the schedule route is a stateful Quartz trigger on devices.inventory.cron
        String uri = camelContext.getRoute("device-inventory-schedule").getEndpoint().getEndpointUri();
        assertThat(uri).startsWith("quartz://device-inventory/schedule").contains("2099").contains("stateful=true");
        assertThat(camelContext.getRouteController().getRouteStatus("device-inventory-schedule").isStarted()).isTrue();
    }

    @Test
    void deviceListingAnswersJsonWithRemovedDevicesFlagged() throws Exception {
        // Given two devices, one of which the platform no longer lists
        seedDevices(2);
        runPass();
        simulator.state().removeDevice("BOX-0002");
        runPass();

        // When the listing is requested
        HttpResponse<String> response = HttpClient.newHttpClient().send(apiRequest("/api/devices")
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());

        // Then it lists both, with the removed one's removedAt set
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        List<Map<String, Object>> devices = mapper.readValue(response.body(), new TypeReference<>() { });
        assertThat(devices).extracting(d -> d.get("locationId")).containsExactly("BOX-0001", "BOX-0002");
        assertThat(devices.get(0)).containsEntry("nodeType", 2).containsEntry("name", "Gate 1").containsEntry("removedAt", null);
        assertThat((String) devices.get(1).get("removedAt")).matches("\\d{4}-\\d{2}-\\d{2}T.*");
        assertThat((String) devices.get(0).get("createdAt")).matches("\\d{4}-\\d{2}-\\d{2}T.*");
    }
}
