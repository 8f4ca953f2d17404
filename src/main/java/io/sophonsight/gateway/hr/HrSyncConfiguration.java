package io.sophonsight.gateway.hr;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The thread pool profile {@code hrSyncPeoplePool} that sends the people of a run in parallel
 * ({@code hr.sync.parallelism}, default 4). A Camel profile rather than an Executor bean, so Spring
 * Boot's own task executor stays auto-configured; Camel creates, names and shuts down the pool.
 */
@Configuration(proxyBeanMethods = false)
public class HrSyncConfiguration {

    /** Profile id named by the people split of routes/hr-sync.camel.yaml ({@code executorService}); also this bean's name. */
    public static final String PEOPLE_POOL = "hrSyncPeoplePool";

    @Bean(PEOPLE_POOL)
    public CamelContextConfiguration hrSyncPeoplePool(HrProperties hr) {
        int parallelism = hr.sync().parallelism();
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                ThreadPoolProfile profile = new ThreadPoolProfile(PEOPLE_POOL);
                profile.setPoolSize(Math.max(1, parallelism));
                profile.setMaxPoolSize(Math.max(1, parallelism));
                // The split queues every person of the run. Camel turns a queue size <= 0 into a SynchronousQueue,
                // which with CallerRuns ran the split's own scheduling inline, one stack frame set per person,
                // until the worker died of a StackOverflowError (~550 people per worker) and the run hung.
                profile.setMaxQueueSize(Integer.MAX_VALUE);
                profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
                camelContext.getExecutorServiceManager().registerThreadPoolProfile(profile);
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                // nothing to do once started
            }
        };
    }
}
