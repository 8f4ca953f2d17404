package io.sophonsight.gateway.monitoring;

import org.jolokia.support.spring.SpringJolokiaAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.beans.factory.support.MergedBeanDefinitionPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * Stops the Jolokia agent without the WARN line every stop used to log. The agent registers a JVM shutdown hook that
 * closes its HTTP server, and its {@code destroy()} removes that hook again, which the JVM refuses while it is shutting
 * down (SIGTERM: Spring closes the context inside its own shutdown hook): {@code IllegalStateException: Shutdown in
 * progress}, logged by Spring as a failed destroy method. Here Spring's call of {@code destroy()} is replaced by one
 * that expects exactly that refusal: the agent has by then removed its HTTP context and stopped its services, and its
 * own hook (running at the same time) closes the server. Any other failure is still reported.
 */
public class JolokiaShutdown implements MergedBeanDefinitionPostProcessor, DestructionAwareBeanPostProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(JolokiaShutdown.class);
    /** The JVM's message when a shutdown hook is added or removed during shutdown (java.lang.ApplicationShutdownHooks). */
    static final String JVM_SHUTTING_DOWN = "Shutdown in progress";

    @Override
    public void postProcessMergedBeanDefinition(RootBeanDefinition definition, Class<?> beanType, String beanName) {
        if (SpringJolokiaAgent.class.isAssignableFrom(beanType)) {
            definition.registerExternallyManagedDestroyMethod("destroy"); // called below instead
        }
    }

    @Override
    public boolean requiresDestruction(Object bean) {
        return bean instanceof SpringJolokiaAgent;
    }

    @Override
    public void postProcessBeforeDestruction(Object bean, String beanName) {
        if (bean instanceof SpringJolokiaAgent agent) {
            stop(agent, beanName);
        }
    }

    static void stop(SpringJolokiaAgent agent, String beanName) {
        try {
            agent.destroy();
        } catch (IllegalStateException e) {
            if (!JVM_SHUTTING_DOWN.equals(e.getMessage())) {
                throw e;
            }
            LOG.debug("Jolokia agent '{}' stopped; its own shutdown hook closes the HTTP server", beanName);
        }
    }
}
