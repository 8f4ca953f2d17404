package io.sophonsight.gateway.events;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.push.PushTestSupport;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.HierarchicalRepository;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A queue that nobody reads fills up (or the broker's disk does): the embedded broker refuses the send at
 * once ({@code push.broker.address-full-policy: FAIL}) instead of blocking the fan-out for ever, so the
 * event follows the usual failing-target path (retried, dead-lettered, replayed) and is delivered once
 * there is room again.
 */
class BrokerFullTest extends PushTestSupport {

    @Autowired
    private EmbeddedActiveMQ broker;

    @Autowired
    private ObjectMapper mapper;

    @Autowired
    private EmbeddedBrokerLimits limits;

    private HierarchicalRepository<AddressSettings> addressSettings() {
        return broker.getActiveMQServer().getAddressSettingsRepository();
    }

    @AfterEach
    void roomOnTheQueueAgain() {
        addressSettings().removeMatch(UNCLASSIFIED);
    }

    @Test
    void aFullQueueFailsTheFanOutAtOnceAndTheEventIsDeliveredWhenThereIsRoom() throws Exception {
        // Given the unclassified queue full: a limit of one byte, and one message nobody has read
        String person = uniqueId("U-FULL");
        String unread = uniqueId("unread");
        messagesOn(UNCLASSIFIED);
        addressSettings().addMatch(UNCLASSIFIED, limits.addressSettings().setMaxSizeBytes(1));
        producer.sendBody("jms:queue:" + UNCLASSIFIED, unread);

        // When a pass of an unknown person type is pushed
        long passTime = AccessRecordPushTest.nextPassTime();
        assertThat(push(ACCESS_PATH, mapper.writeValueAsBytes(platformPass(person, "MARTIAN", passTime, "BOX-FULL", "CAM-FULL"))).statusCode()).isEqualTo(200);

        // Then every attempt fails at once with the broker's reason (no hang), and the event is given up
        Map<String, Object> row = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> eventRow(person, passTime), r -> r != null && "DEAD".equals(r.get("fanout_status")));
        assertThat((String) row.get("last_error")).contains("is full");
        assertThat(count("SELECT COUNT(*) FROM access_record WHERE person_id = ?", person)).isEqualTo(1);

        // When the queue is read and an operator replays the dead letters
        addressSettings().removeMatch(UNCLASSIFIED);
        assertThat(messagesOn(UNCLASSIFIED)).contains(unread);
        assertThat(replayDeadLetters().statusCode()).isEqualTo(200);

        // Then the pass reaches the queue, once
        awaitMessage(UNCLASSIFIED, m -> m.contains("\"personId\":\"" + person + "\""));
        assertThat(messagesOn(UNCLASSIFIED)).filteredOn(m -> m.contains("\"personId\":\"" + person + "\"")).hasSize(1);
    }
}
