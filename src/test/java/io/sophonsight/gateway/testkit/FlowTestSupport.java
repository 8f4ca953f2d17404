package io.sophonsight.gateway.testkit;

import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.push.PushKey;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * Base class for proving an edited flow before deploying it. A test extending it runs the real gateway
 * (the real {@code routes/} folder and {@code application.yaml}, the built-in simulator, the embedded
 * broker; the context shared with every other test of the suite) and gets {@link #flows}, which replays
 * pushes through the real receiver with the push key, waits for the fan-out and reports where each
 * event landed:
 *
 * <pre>{@code
 * class MyRoutingTest extends FlowTestSupport {
 *     @Test
 *     void blacklistPassesRaiseAnAlert() {
 *         Landing landing = flows.replaySample("access-platform-blacklist.json");
 *         assertThat(landing.queues()).containsExactly("gateway.alerts");
 *     }
 * }
 * }</pre>
 *
 * Run it with {@code mvn -B -o -q test -Dtest=MyRoutingTest}. See {@code BlacklistRoutingExampleTest}
 * and the README section "Prove an edited flow with a test".
 */
public abstract class FlowTestSupport extends GatewayTestSupport {

    /** Replays pushes and reports where they landed; fresh for every test. */
    protected FlowProbe flows;

    @Autowired
    private JdbcTemplate gatewayDb;

    @Autowired
    private JmsTemplate jmsTemplate;

    @Autowired
    private PushKey pushKey;

    @Autowired
    private Environment environment;

    @BeforeEach
    void createFlowProbe() {
        flows = new FlowProbe(gatewayUrl(environment.getRequiredProperty("push.access-path")), pushKey.value(),
                gatewayDb, jmsTemplate, environment);
    }
}
