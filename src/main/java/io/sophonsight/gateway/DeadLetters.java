package io.sophonsight.gateway;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import io.sophonsight.gateway.common.Text;
import io.sophonsight.gateway.common.FailureReason;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Helpers of the shared dead-letter step ({@code routes/dead-letter.camel.yaml}): the payload kept
 * in a dead letter, cut to {@code dead-letter.max-payload-chars}; and the JMX operation
 * {@code io.sophonsight.gateway:type=DeadLetters} / {@code replay()} that re-drives dead letters
 * through {@code direct:dead-letter-replay}, like {@code POST /gateway/dead-letters/replay}.
 */
@Component("deadLetters")
public class DeadLetters implements DeadLettersOperations, InitializingBean, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    public static final String OBJECT_NAME = "io.sophonsight.gateway:type=DeadLetters";

    private final int maxChars;
    private final ProducerTemplate producer;
    private final boolean jmxEnabled;
    private ObjectName registered;

    public DeadLetters(@Value("${dead-letter.max-payload-chars}") int maxChars, @Lazy ProducerTemplate producer,
            @Value("${camel.main.jmx-enabled:true}") boolean jmxEnabled) {
        this.maxChars = maxChars;
        this.producer = producer;
        this.jmxEnabled = jmxEnabled;
    }

    /** The payload as text, cut to the configured length with a note of the original size. */
    public String payload(Object body) {
        if (body == null) {
            return null;
        }
        String text = storable(body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : body.toString());
        if (text.length() <= maxChars) {
            return text;
        }
        return text.substring(0, maxChars) + "…[truncated, " + text.length() + " chars]";
    }

    /**
     * The row of one dead letter, from the step's input: headers {@code DeadLetterFlow} and
     * {@code DeadLetterReason} (required), {@code DeadLetterSource}, {@code DeadLetterRef},
     * {@code DeadLetterAttempts} (optional); body = the input that was given up on.
     */
    public java.util.Map<String, Object> row(org.apache.camel.Exchange exchange) {
        org.apache.camel.Message message = exchange.getMessage();
        String flow = message.getHeader("DeadLetterFlow", String.class);
        String reason = message.getHeader("DeadLetterReason", String.class);
        java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("flow", flow == null || flow.isBlank() ? exchange.getFromRouteId() : flow);
        row.put("reason", reason == null || reason.isBlank() ? "no reason given" : FailureReason.text(reason, 2000));
        row.put("source", cut(message.getHeader("DeadLetterSource", String.class), 100));
        row.put("payload", payload(message.getBody()));
        row.put("ref", cut(message.getHeader("DeadLetterRef", String.class), 200));
        Integer attempts = message.getHeader("DeadLetterAttempts", Integer.class);
        row.put("attempts", attempts == null ? 0 : attempts);
        return row;
    }

    private static String cut(String text, int max) {
        return Text.truncate(storable(text), max);
    }

    /** PostgreSQL text takes no NUL character: a rejected input full of them is kept with each NUL written as the six characters backslash-u0000. */
    private static String storable(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "\\u0000");
    }

    @Override
    public int replay() {
        Integer replayed = producer.requestBody("direct:dead-letter-replay", null, Integer.class);
        return replayed == null ? 0 : replayed;
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        if (!jmxEnabled) {
            // camel.main.jmx-enabled=false: no JMX for this gateway's routes, and none for its dead letters either
            return;
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        if (server.isRegistered(name)) {
            // a second application context in the same JVM (tests): the newest one answers
            server.unregisterMBean(name);
        }
        server.registerMBean(new DescribedMBean(this), name);
        registered = name;
        LOG.debug("Registered JMX operation {} replay()", OBJECT_NAME);
    }

    /** The JMX view with descriptions, as the console and the JMX tree show them (a plain StandardMBean has none). */
    private static final class DescribedMBean extends StandardMBean {

        DescribedMBean(DeadLettersOperations operations) {
            super(operations, DeadLettersOperations.class, false);
        }

        @Override
        protected String getDescription(MBeanInfo info) {
            return "Dead letters: flows that gave up on an input (table dead_letter); replay re-drives them";
        }

        @Override
        protected String getDescription(MBeanOperationInfo operation) {
            return "replay".equals(operation.getName())
                    ? "Re-drive every dead letter that can be replayed (like POST /gateway/dead-letters/replay); answers how many"
                    : super.getDescription(operation);
        }
    }

    @Override
    public void destroy() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (registered != null && server.isRegistered(registered)) {
            server.unregisterMBean(registered);
        }
    }
}
