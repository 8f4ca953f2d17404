package io.sophonsight.gateway.events;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import io.sophonsight.gateway.push.PushProperties;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.stereotype.Component;

/**
 * What the embedded broker does when a queue nobody reads fills up, or the data disk passes
 * {@code max-disk-usage}. Artemis' default (page, then block) makes a send wait for ever: the fan-out
 * thread hangs, and so does a device-status push whose alert goes to the alerts queue inside its
 * transaction. With {@code FAIL} the send fails at once; the fan-out keeps the event pending and
 * retries it (then dead-letters it, for replay), and a push answers 5xx so the platform resends: the
 * gateway's database, not the broker, is the buffer. Applies to every address ({@code #}).
 *
 * <p>Every address keeps the dead-letter and expiry addresses Spring Boot creates in the embedded broker
 * ({@code DLQ}, {@code ExpiryQueue}): without them Artemis logs two WARN lines per queue at every start, and a
 * message it could not deliver after its redeliveries (a JMS consumer of the company failing) would be dropped.
 */
@Component
public class EmbeddedBrokerLimits implements ArtemisConfigurationCustomizer {

    /** The dead-letter and expiry addresses of Spring Boot's embedded broker (ArtemisEmbeddedConfigurationFactory). */
    static final SimpleString DEAD_LETTER_ADDRESS = SimpleString.of("DLQ");
    static final SimpleString EXPIRY_ADDRESS = SimpleString.of("ExpiryQueue");

    private final AddressFullMessagePolicy policy;
    private final long maxSizeBytes;
    private final int maxDiskUsage;

    public EmbeddedBrokerLimits(PushProperties push) {
        this.policy = push.broker().addressFullPolicy();
        this.maxSizeBytes = push.broker().maxSizeBytes();
        this.maxDiskUsage = push.broker().maxDiskUsage();
    }

    @Override
    public void customize(org.apache.activemq.artemis.core.config.Configuration configuration) {
        configuration.setMaxDiskUsage(maxDiskUsage);
        configuration.addAddressSetting("#", addressSettings());
    }

    /** The settings of every address; also what a test restores after narrowing one queue. */
    public AddressSettings addressSettings() {
        return new AddressSettings().setAddressFullMessagePolicy(policy).setMaxSizeBytes(maxSizeBytes)
                .setDeadLetterAddress(DEAD_LETTER_ADDRESS).setExpiryAddress(EXPIRY_ADDRESS);
    }
}
