package io.sophonsight.gateway.devices;

import java.util.Map;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.simulator.SimulatorPaging;
import io.sophonsight.gateway.simulator.SimulatorState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device inventory under every paging reading the docs leave open (simulator switches of
 * {@link SimulatorPaging}): a pass over 250 devices the gateway already knows marks none removed,
 * whether pages are capped, {@code totalSize} is missing, the order is unstable in either direction,
 * or devices are added while the list is read; a pass that cannot be proven complete marks nothing
 * removed and says why.
 */
class DeviceInventoryPagingTest extends GatewayTestSupport {

    private static final int DEVICES = 250;
    private static final long CREATED = 1_700_000_000_000L;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private MeterRegistry meters;

    /** 250 devices, seven to a createTime (ties for an unstable order), all known from a first complete pass. */
    @BeforeEach
    void knownInventory() {
        jdbc.update("DELETE FROM device");
        jdbc.update("DELETE FROM device_inventory_pass");
        for (int i = 1; i <= DEVICES; i++) {
            simulator.state().putDevice(new SimulatorState.Device(String.format("BOX-%04d", i), 1 + i % 6, "Gate " + i,
                    CREATED + i / 7));
        }
        assertThat(runPass()).containsEntry("status", "COMPLETE").containsEntry("devicesListed", DEVICES);
    }

    static Stream<Arguments> readings() {
        SimulatorPaging.Settings none = SimulatorPaging.Settings.DEFAULT;
        return Stream.of(
                Arguments.of("pages capped at 20", none.withPageSizeCap(20)),
                Arguments.of("pages capped at 50, no totalSize", none.withPageSizeCap(50).withOmitTotal(true)),
                Arguments.of("oldest first, equal createTimes reordered on every call", none.withReorder(true)),
                Arguments.of("newest first, equal createTimes reordered on every call, pages capped at 50",
                        none.withDescending(true).withReorder(true).withPageSizeCap(50)),
                Arguments.of("oldest first, a device added at the head before each of 3 calls", none.withInserts(1, 3)),
                Arguments.of("newest first, a device added at the head before each of 5 calls, pages capped at 20",
                        none.withDescending(true).withInserts(1, 5).withPageSizeCap(20)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readings")
    void aPassOverAKnownInventoryMarksNoDeviceRemoved(String reading, SimulatorPaging.Settings settings) {
        // Given the platform pages its device list the way under test
        simulator.paging().set(settings);

        // When an inventory pass runs
        Map<String, Object> pass = runPass();

        // Then it completes, lists every device (those added meanwhile too), and marks none removed
        int expected = simulator.state().devices().size();
        assertThat(expected).isGreaterThanOrEqualTo(DEVICES);
        assertThat(pass).containsEntry("status", "COMPLETE").containsEntry("devicesListed", expected)
                .containsEntry("devicesRemoved", 0);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM device WHERE removed_at IS NULL", Integer.class))
                .isEqualTo(expected);
        if (settings.pageSizeCap() > 0) {
            assertThat(pass).containsEntry("pageSize", settings.pageSizeCap());
        }
    }

    @Test
    void aPassThatCannotBeProvenCompleteMarksNothingRemovedAndSaysWhy() {
        // Given a device the platform no longer lists
        simulator.state().removeDevice("BOX-0100");
        // And a platform that adds a device at the head of its list before every page it answers:
        // every pass reaches the end of the list with the devices added behind the reader unseen
        simulator.paging().set(SimulatorPaging.Settings.DEFAULT.withPageSizeCap(50).withInserts(1, 10_000));

        // When an inventory pass runs
        double incompleteBefore = incompleteReads();
        Map<String, Object> failed = runPass();

        // Then it fails after max-rereads (5) re-reads, marks nothing removed, and the pass row says why
        assertThat(failed).containsEntry("status", "FAILED").containsEntry("rereads", 5).containsEntry("devicesRemoved", 0);
        assertThat((String) failed.get("failureReason")).startsWith("PagedListIncompleteException: ")
                .contains("the device list").contains("cannot be proven complete");
        assertThat(jdbc.queryForObject("SELECT removed_at FROM device WHERE location_id = 'BOX-0100'", Object.class)).isNull();
        assertThat(incompleteReads()).isEqualTo(incompleteBefore + 1);
        assertThat(jdbc.queryForObject("SELECT failure_reason FROM device_inventory_pass WHERE pass_id = ?", String.class,
                failed.get("passId"))).contains("cannot be proven complete");

        // When the list holds still again
        simulator.paging().set(SimulatorPaging.Settings.DEFAULT.withPageSizeCap(50));
        Map<String, Object> complete = runPass();

        // Then the next pass completes and marks only the device that is really gone
        assertThat(complete).containsEntry("status", "COMPLETE").containsEntry("devicesRemoved", 1);
        assertThat(jdbc.queryForObject("SELECT removed_at FROM device WHERE location_id = 'BOX-0100'", Object.class)).isNotNull();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> runPass() {
        return producer.requestBody("direct:device-inventory-run", null, Map.class);
    }

    /** gateway_paging_incomplete_total of this list (0 before the first incomplete read). */
    private double incompleteReads() {
        var counter = meters.find("gateway.paging.incomplete").tag("list", "device-inventory").counter();
        return counter == null ? 0 : counter.count();
    }
}
