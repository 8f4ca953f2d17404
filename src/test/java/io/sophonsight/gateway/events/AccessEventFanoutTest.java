package io.sophonsight.gateway.events;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.ObjectName;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.deadletters.DeadLetters;
import io.sophonsight.gateway.push.PushTestSupport;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fan-out runs from the database after the acknowledgement: a failing target leaves the event
 * pending and retried, a target failing too long gives a dead letter that replay re-drives, and
 * events still pending when the gateway stops are fanned out when it runs again.
 *
 * <p>The routes stay as deployed: the failing target is the embedded broker itself, refusing sends to the
 * visitors queue through a broker plugin this class registers for each test and removes after it.
 */
class AccessEventFanoutTest extends PushTestSupport {

    /** How many more sends to the visitors queue the broker refuses (it "is down" while > 0). */
    private final AtomicInteger visitorQueueFailures = new AtomicInteger();

    /** The broker's side of the outage: refuses the next {@link #visitorQueueFailures} sends to the visitors queue. */
    private final ActiveMQServerMessagePlugin visitorsQueueOutage = new ActiveMQServerMessagePlugin() {
        @Override
        public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                               boolean noAutoCreateQueue) throws ActiveMQException {
            if (VISITORS.equals(String.valueOf(message.getAddress()))
                    && visitorQueueFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ActiveMQException(ActiveMQExceptionType.INTERNAL_ERROR, "broker unavailable (test)");
            }
        }
    };

    @Autowired
    private ObjectMapper mapper;

    @Autowired
    private EmbeddedActiveMQ broker;

    @BeforeEach
    void breakableVisitorsQueue() {
        broker.getActiveMQServer().registerBrokerPlugin(visitorsQueueOutage);
    }

    @AfterEach
    void repairVisitorsQueue() throws Exception {
        broker.getActiveMQServer().unRegisterBrokerPlugin(visitorsQueueOutage);
        if (!camelContext.getRouteController().getRouteStatus("access-event-fanout-poller").isStarted()) {
            camelContext.getRouteController().startRoute("access-event-fanout-poller");
        }
    }

    private long pushVisitor(String visitorId) throws Exception {
        long passTime = AccessRecordPushTest.nextPassTime();
        Map<String, Object> event = platformPass(visitorId, "VISITOR", passTime, "BOX-F", "CAM-F");
        assertThat(push(ACCESS_PATH, mapper.writeValueAsBytes(event)).statusCode()).isEqualTo(200);
        return passTime;
    }

    private Map<String, Object> awaitStatus(String visitorId, long passTime, String status) {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> eventRow(visitorId, passTime), r -> r != null && status.equals(r.get("fanout_status")));
    }

    @Test
    void aFailingTargetLeavesTheEventPendingUntilItRecoversAndNothingIsLost() throws Exception {
        // Given the visitors queue failing twice (max attempts in tests: 3)
        visitorQueueFailures.set(2);

        // When a visitor pass is pushed
        String visitor = uniqueId("V-RETRY");
        long passTime = pushVisitor(visitor);

        // Then it is retried until the queue takes it: one record, one message, three attempts
        Map<String, Object> row = awaitStatus(visitor, passTime, "DONE");
        assertThat(row.get("fanout_attempts")).isEqualTo(3);
        awaitMessage(VISITORS, m -> m.contains("\"personId\":\"" + visitor + "\""));
        assertThat(messagesOn(VISITORS)).filteredOn(m -> m.contains("\"personId\":\"" + visitor + "\"")).hasSize(1);
        assertThat(count("SELECT COUNT(*) FROM access_record WHERE person_id = ?", visitor)).isEqualTo(1);
    }

    @Test
    void aTargetFailingTooLongGivesADeadLetterThatReplayRedrives() throws Exception {
        // Given the visitors queue failing more often than the attempts allow
        visitorQueueFailures.set(100);
        String visitor = uniqueId("V-DEAD");
        long passTime = pushVisitor(visitor);

        // Then the event is given up: DEAD, with a dead letter naming the reason and the event
        Map<String, Object> row = awaitStatus(visitor, passTime, "DEAD");
        assertThat((String) row.get("last_error")).contains("broker unavailable");
        // (the event is marked DEAD first, then its dead letter is written: wait for the letter too)
        Map<String, Object> deadLetter = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> jdbc.queryForList("SELECT * FROM dead_letter WHERE flow = 'access-event-fanout' AND payload_ref = ?",
                        row.get("id").toString()), letters -> !letters.isEmpty()).get(0);
        assertThat((String) deadLetter.get("reason")).contains("failed 3 times").contains("broker unavailable");
        assertThat((String) deadLetter.get("payload")).contains("\"personId\":\"" + visitor + "\"");

        // When the broker is back and an operator replays the dead letters over REST, with the admin key
        visitorQueueFailures.set(0);
        var reply = replayDeadLetters();

        // Then the event is fanned out after all, and its dead letter is marked replayed
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat((Integer) mapper.readValue(reply.body(), Map.class).get("replayed")).isGreaterThanOrEqualTo(1);
        awaitStatus(visitor, passTime, "DONE");
        awaitMessage(VISITORS, m -> m.contains("\"personId\":\"" + visitor + "\""));
        assertThat(jdbc.queryForObject("SELECT replayed_at FROM dead_letter WHERE id = ?", Object.class,
                deadLetter.get("id"))).isNotNull();

        // And the replay operation refuses callers without the admin key, also the push key that once opened it
        assertThat(post("/gateway/dead-letters/replay", new byte[0]).statusCode()).isEqualTo(401);
        assertThat(post("/gateway/dead-letters/replay?key=" + pushKey.value(), new byte[0]).statusCode()).isEqualTo(401);
    }

    @Test
    void replayIsAlsoAJmxOperation() throws Exception {
        // Given an event given up on
        visitorQueueFailures.set(100);
        String visitor = uniqueId("V-JMX");
        long passTime = pushVisitor(visitor);
        awaitStatus(visitor, passTime, "DEAD");
        visitorQueueFailures.set(0);

        // When an operator calls replay() on io.sophonsight.gateway:type=DeadLetters
        Object replayed = ManagementFactory.getPlatformMBeanServer()
                .invoke(new ObjectName(DeadLetters.OBJECT_NAME), "replay", new Object[0], new String[0]);

        // Then it is fanned out
        assertThat((Integer) replayed).isGreaterThanOrEqualTo(1);
        awaitStatus(visitor, passTime, "DONE");
    }

    @Test
    void aVisitorWithLargeImagesReachesItsQueueWithoutTheBase64() throws Exception {
        // Given a visitor pass with a scene image of 300 KB (real scene captures are hundreds of KB)
        long passTime = AccessRecordPushTest.nextPassTime();
        byte[] scene = new byte[300 * 1024];
        new java.util.Random(7).nextBytes(scene);
        String visitor = uniqueId("V-LARGE");
        Map<String, Object> event = platformPass(visitor, "VISITOR", passTime, "BOX-F", null);
        event.put("crossSrcPhoto", java.util.Base64.getEncoder().encodeToString(scene));

        // When it is pushed
        assertThat(push(ACCESS_PATH, mapper.writeValueAsBytes(event)).statusCode()).isEqualTo(200);

        // Then it is recorded with its file, and the visitors queue gets the event (file path, no base64)
        Map<String, Object> record = awaitRecord(visitor, passTime);
        assertThat(DATA_DIR.resolve((String) record.get("scene_photo_file"))).hasBinaryContent(scene);
        String message = awaitMessage(VISITORS, m -> m.contains("\"personId\":\"" + visitor + "\""));
        assertThat(message.length()).isLessThan(10_000);
    }

    @Test
    void eventsAcknowledgedBeforeAStopAreFannedOutWhenTheGatewayRunsAgain() throws Exception {
        // Given the fan-out stopped (as when the gateway stops right after acknowledging)
        camelContext.getRouteController().stopRoute("access-event-fanout-poller");

        // When a visitor pass with images is pushed and acknowledged
        long passTime = AccessRecordPushTest.nextPassTime();
        String visitor = uniqueId("V-RESTART");
        Map<String, Object> event = platformPass(visitor, "VISITOR", passTime, "BOX-F", null);
        event.put("crossFacePhoto", java.util.Base64.getEncoder().encodeToString(new byte[]{(byte) 0xff, (byte) 0xd8, 1, 2}));
        assertThat(push(ACCESS_PATH, mapper.writeValueAsBytes(event)).statusCode()).isEqualTo(200);

        // Then it waits in the database, images staged, nothing fanned out yet
        Map<String, Object> pending = eventRow(visitor, passTime);
        assertThat(pending.get("fanout_status")).isEqualTo("PENDING");
        assertThat(pending.get("has_images")).isEqualTo(true);
        assertThat(count("SELECT COUNT(*) FROM access_event_image WHERE dedupe_key = ?", pending.get("dedupe_key"))).isOne();
        assertThat(count("SELECT COUNT(*) FROM access_record WHERE person_id = ?", visitor)).isZero();

        // When the fan-out runs again
        camelContext.getRouteController().startRoute("access-event-fanout-poller");

        // Then the event is recorded, its photo written, and it reaches its queue
        Map<String, Object> record = awaitRecord(visitor, passTime);
        assertThat(DATA_DIR.resolve((String) record.get("face_photo_file"))).isRegularFile();
        awaitMessage(VISITORS, m -> m.contains("\"personId\":\"" + visitor + "\""));
    }
}
