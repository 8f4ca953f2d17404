package io.sophonsight.gateway.testkit;

import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * For a test class with a gateway context of its own next to the shared one ({@code @Import(OwnContextBroker.class)}):
 * its embedded Artemis registers no JMX MBeans. Both brokers are named {@code localhost}; without this the second
 * one's MBeans clash with the shared broker's, and when the own context closes it unregisters
 * {@code org.apache.activemq.artemis:broker="localhost"} for the rest of the JVM (seen as a 404 in
 * {@code JolokiaOperationsTest} when such a class ran before it).
 */
@TestConfiguration(proxyBeanMethods = false)
public class OwnContextBroker {

    @Bean
    ArtemisConfigurationCustomizer noBrokerMBeansInAContextOfItsOwn() {
        return configuration -> configuration.setJMXManagementEnabled(false);
    }
}
