package io.sophonsight.gateway.devices;

import java.sql.Timestamp;
import java.util.Map;

import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.simulator.SimulatorState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cross/search {@code createTime} is documented as epoch ms, but the published example has 10 digits
 * (seconds): both readings give the device its real creation time, never a date in January 1970.
 */
class DeviceCreateTimeTest extends GatewayTestSupport {

    /** 2025-11-28T09:00:00Z, a whole second, so the seconds reading loses nothing. */
    private static final long CREATED = 1_764_320_400_000L;

    @Autowired
    private JdbcTemplate jdbc;

    @BeforeEach
    void emptyInventory() {
        jdbc.update("DELETE FROM device");
        jdbc.update("DELETE FROM device_inventory_pass");
    }

    @ParameterizedTest(name = "createTime in seconds: {0}")
    @ValueSource(booleans = {false, true})
    void aDeviceKeepsItsCreationTimeWhetherThePlatformSendsMillisecondsOrSeconds(boolean seconds) {
        // Given a device created at CREATED, listed with createTime in ms or in seconds
        simulator.state().putDevice(new SimulatorState.Device("BOX-CT", 2, "Created gate", CREATED));
        simulator.readings().createTimeInSeconds(seconds);

        // When an inventory pass runs
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = producer.requestBody("direct:device-inventory-run", null, Map.class);

        // Then the device's creation time is the same either way
        assertThat(summary).containsEntry("status", "COMPLETE");
        assertThat(jdbc.queryForObject("SELECT created_at FROM device WHERE location_id = 'BOX-CT'", Timestamp.class).getTime())
                .isEqualTo(CREATED);
    }
}
