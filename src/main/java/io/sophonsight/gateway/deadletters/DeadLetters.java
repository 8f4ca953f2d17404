package io.sophonsight.gateway.deadletters;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sophonsight.gateway.common.FailureReason;
import io.sophonsight.gateway.common.Text;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * Helpers of the shared dead-letter step ({@code routes/dead-letter.camel.yaml}): the row of one dead letter, its
 * payload cut to {@code dead-letter.max-payload-chars}; and the JMX operation
 * {@code io.sophonsight.gateway:type=DeadLetters} / {@code replay()} that re-drives dead letters through
 * {@code direct:dead-letter-replay}, like {@code POST /gateway/dead-letters/replay}.
 */
@Component("deadLetters")
@ManagedResource(objectName = DeadLetters.OBJECT_NAME,
        description = "Dead letters: flows that gave up on an input (table dead_letter); replay re-drives them")
public class DeadLetters {

    public static final String OBJECT_NAME = "io.sophonsight.gateway:type=DeadLetters";

    private final int maxChars;
    private final ProducerTemplate producer;

    public DeadLetters(@Value("${dead-letter.max-payload-chars}") int maxChars, @Lazy ProducerTemplate producer) {
        this.maxChars = maxChars;
        this.producer = producer;
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
     * The row of one dead letter (the parameters of {@code sql/dead-letter/insert.sql}): {@code flow} and
     * {@code reason} as given (a blank reason becomes "no reason given"), {@code source}, {@code ref} and
     * {@code attempts} optional, {@code body} = the input that was given up on; every text cut to its column.
     */
    public Map<String, Object> row(String flow, String reason, String source, String ref, Integer attempts, Object body) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("flow", cut(flow, 100));
        row.put("reason", reason == null || reason.isBlank() ? "no reason given" : FailureReason.text(reason, 2000));
        row.put("source", cut(source, 100));
        row.put("payload", payload(body));
        row.put("ref", cut(ref, 200));
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

    /** Re-drives every dead letter that can be replayed; answers how many were. */
    @ManagedOperation(description = "Re-drive every dead letter that can be replayed (like POST /gateway/dead-letters/replay); "
            + "answers how many")
    public int replay() {
        Integer replayed = producer.requestBody("direct:dead-letter-replay", null, Integer.class);
        return replayed == null ? 0 : replayed;
    }
}
