package io.sophonsight.gateway.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.sophonsight.gateway.GatewayTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The one dead-letter step, {@code direct:dead-letter}: the row it writes from its headers, and
 * {@code DeadLetterOnce} (one open letter per flow, item and reason). Rows are found by a ref this test generated.
 */
class DeadLetterStepTest extends GatewayTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aLetterKeepsItsHeadersAndTheCallersHeadersStay() {
        // Given a flow giving up on an item, with every optional header
        String ref = "item-" + UUID.randomUUID();
        Map<String, Object> headers = headers("dead-letter-step-test", "could not be read", ref);
        headers.put("DeadLetterSource", "10.1.2.3");
        headers.put("DeadLetterAttempts", 4);
        headers.put("CallerOwn", "kept");

        // When it calls the step
        var exchange = producer.request("direct:dead-letter", e -> {
            e.getMessage().setHeaders(headers);
            e.getMessage().setBody("{\"broken\": true}");
        });

        // Then one row holds what the headers said, and the caller's headers are unchanged
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM dead_letter WHERE payload_ref = ?", ref);
        assertThat(row).containsEntry("flow", "dead-letter-step-test").containsEntry("reason", "could not be read")
                .containsEntry("source_address", "10.1.2.3").containsEntry("payload", "{\"broken\": true}")
                .containsEntry("attempts", 4);
        assertThat(exchange.getMessage().getHeaders()).containsEntry("CallerOwn", "kept")
                .doesNotContainKey("DeadLetterOpen");
    }

    @Test
    void withDeadLetterOnceASecondLetterOfTheSameItemAndReasonIsNotWrittenUntilTheFirstIsReplayed() {
        // Given an item refused on every run (as an HR row is), sent with DeadLetterOnce
        String ref = "row-" + UUID.randomUUID();
        Map<String, Object> once = headers("dead-letter-step-test", "invalid department", ref);
        once.put("DeadLetterOnce", true);

        // When it is dead-lettered twice
        producer.sendBodyAndHeaders("direct:dead-letter", "row", once);
        producer.sendBodyAndHeaders("direct:dead-letter", "row", once);

        // Then one letter is open
        assertThat(count(ref)).isEqualTo(1);

        // And another reason is a letter of its own
        Map<String, Object> otherReason = new HashMap<>(once);
        otherReason.put("DeadLetterReason", "invalid name");
        producer.sendBodyAndHeaders("direct:dead-letter", "row", otherReason);
        assertThat(count(ref)).isEqualTo(2);

        // And once the first is replayed, the same refusal is written again
        jdbc.update("UPDATE dead_letter SET replayed_at = CURRENT_TIMESTAMP WHERE payload_ref = ?", ref);
        producer.sendBodyAndHeaders("direct:dead-letter", "row", once);
        assertThat(count(ref)).isEqualTo(3);

        // While without DeadLetterOnce every call writes a letter
        Map<String, Object> every = headers("dead-letter-step-test", "invalid department", ref);
        producer.sendBodyAndHeaders("direct:dead-letter", "row", every);
        producer.sendBodyAndHeaders("direct:dead-letter", "row", every);
        assertThat(count(ref)).isEqualTo(5);
    }

    private int count(String ref) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter WHERE payload_ref = ?", Integer.class, ref);
        return count == null ? 0 : count;
    }

    private static Map<String, Object> headers(String flow, String reason, String ref) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("DeadLetterFlow", flow);
        headers.put("DeadLetterReason", reason);
        headers.put("DeadLetterRef", ref);
        return headers;
    }
}
