package io.sophonsight.gateway.testkit;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tutorial: how to prove where the fan-out router ({@code routes/access-event-fanout.camel.yaml})
 * sends each pass, before deploying a change to it. Copy this class, edit the expectations, run
 * {@code mvn -B -o -q test -Dtest=BlacklistRoutingExampleTest}.
 *
 * <p>{@code flows.replaySample(...)} pushes a sample of {@code src/test/resources/conformance/push-samples}
 * to the real receiver with the push key (as a new pass each time), waits until the fan-out is done and
 * returns the {@link Landing}: the {@code access_record} row, the queues holding the event, the files.
 * The queues are browsed, not drained, and every {@code push.queues.*} of {@code application.yaml} is
 * watched: a queue you add there is seen without touching this kit.
 *
 * <p>The README section "Prove an edited flow with a test" walks through adding a second destination
 * to blacklist passes: the diff of the route and the one assertion added to
 * {@link #aBlacklistPassRaisesOneAlertAndIsRecorded()}.
 */
class BlacklistRoutingExampleTest extends FlowTestSupport {

    @Test
    void aBlacklistPassRaisesOneAlertAndIsRecorded() {
        // Given the platform's sample of a blacklisted person passing a gate (form P, userType BLACKLIST)
        String sample = "access-platform-blacklist.json";

        // When the platform pushes it
        Landing landing = flows.replaySample(sample);

        // Then it is recorded as a blacklist pass ...
        assertThat(landing.personType()).isEqualTo("blacklist");
        assertThat(landing.recorded()).isTrue();
        assertThat(landing.record()).containsEntry("person_id", "B-13").containsEntry("person_type", "blacklist");
        // ... and raises exactly one alert, on the alerts queue and nowhere else
        assertThat(landing.queues()).containsExactly("gateway.alerts");
        assertThat(landing.messagesOn("gateway.alerts")).singleElement().asString()
                .contains("\"personId\":\"B-13\"").contains("\"personType\":\"blacklist\"");
        // (README walk-through: after adding a second destination, this line becomes
        //  assertThat(landing.queues()).containsExactlyInAnyOrder("gateway.alerts", "gateway.security-desk");)
    }

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '|', textBlock = """
            access-platform-blacklist.json | gateway.alerts
            access-platform-full.json      | gateway.visitors
            access-box-stranger.json       | gateway.strangers
            access-platform-minimal.json   |
            access-box-employee.json       |
            """)
    void everySampleLandsWhereTheShippedRouterSendsIt(String sample, String expectedQueues) {
        // Given the queues each sample should reach (space-separated; none = the table only)
        List<String> queues = expectedQueues == null ? List.of() : List.of(expectedQueues.trim().split("\\s+"));

        // When each sample of the platform contract is replayed
        Landing landing = flows.replaySample(sample);

        // Then every one has its access_record row, and exactly those queues got it, once each
        assertThat(landing.recorded()).as("access_record row of %s", sample).isTrue();
        assertThat(landing.queues()).as("queues of %s", sample).containsExactlyInAnyOrderElementsOf(queues);
        queues.forEach(queue -> assertThat(landing.messagesOn(queue)).as("messages on %s", queue).hasSize(1));
    }

    @Test
    void everyAccessSampleOfTheContractIsCoveredAbove() {
        // A new sample in the contract folder must get a routing expectation in the table above
        assertThat(FlowProbe.accessSamples()).containsExactlyInAnyOrder("access-platform-blacklist.json",
                "access-platform-full.json", "access-box-stranger.json", "access-platform-minimal.json",
                "access-box-employee.json");
    }

    @Test
    void imagesOfAPassAreWrittenAsFilesAndTheQueueGetsTheirPathsNotTheBytes() {
        // Given the full platform sample: a visitor with enrolled photo, scene and face crop as base64
        // When it is replayed
        Landing landing = flows.replaySample("access-platform-full.json");

        // Then the three images are files under the photo folder of the data folder ...
        assertThat(landing.files()).hasSize(3).allSatisfy(file -> assertThat(file).isRegularFile());
        assertThat(landing.relativeFiles()).allMatch(f -> f.matches("access-photos/\\d{4}/\\d{2}/\\d{2}/"
                + landing.eventId() + "-(enrolled|scene|face)\\.jpg"));
        // ... and the visitors queue gets the event with the file paths, without the base64
        String message = landing.messagesOn("gateway.visitors").get(0);
        assertThat(message).contains(landing.relativeFiles().get(0)).doesNotContain("/9j/4AAQ");
    }

    @Test
    void aVipPassIsOnlyRecordedWhileTheVipQueueIsOff() {
        // Given a VIP pass (the blacklist sample with another person type) and the shipped default
        // push.fanout.vip-queue-enabled=false (RecipesTest proves the VIP queue switched on)
        String vip = FlowProbe.sample("access-platform-blacklist.json").replace("\"BLACKLIST\"", "\"VIP\"");

        // When it is replayed
        Landing landing = flows.replay(vip);

        // Then it is in the table and on no queue
        assertThat(landing.personType()).isEqualTo("vip");
        assertThat(landing.recorded()).isTrue();
        assertThat(landing.queues()).isEmpty();
        assertThat(flows.queues()).containsEntry("vip", "gateway.vip");
    }

    @Test
    void aPushTheReceiverRefusesFailsTheTestWithItsAnswer() {
        // When a push has no pass time, the kit says so instead of waiting for a fan-out
        assertThatThrownBy(() -> flows.replay("{\"userId\":\"E-1\",\"userType\":\"MEMBER\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("crossTime");
        // And a push the receiver refuses (no person id, no device) fails with the receiver's answer
        assertThatThrownBy(() -> flows.replay("{\"userType\":\"MEMBER\",\"crossTime\":1}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("HTTP 400");
    }
}
