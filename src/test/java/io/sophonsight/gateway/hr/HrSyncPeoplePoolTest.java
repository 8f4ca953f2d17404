package io.sophonsight.gateway.hr;

import io.sophonsight.gateway.GatewayTestSupport;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool that sends the people of an HR sync run in parallel is Camel's thread pool profile from
 * {@code camel.threadpool.config.hrSyncPeoplePool} in application.yaml: as wide as {@code hr.sync.parallelism}, with a
 * queue that holds every person of a run and no caller-runs fallback (which once ran the split inline until a
 * StackOverflowError hung the run).
 */
class HrSyncPeoplePoolTest extends GatewayTestSupport {

    @Autowired
    private HrProperties hr;

    @Test
    void thePeopleSplitPoolIsAsWideAsTheConfiguredParallelismAndQueuesEveryPerson() {
        // Given the gateway started from application.yaml
        // When the people split's profile is looked up by the name the route uses
        ThreadPoolProfile profile = camelContext.getExecutorServiceManager().getThreadPoolProfile("hrSyncPeoplePool");

        // Then it has hr.sync.parallelism threads, an unbounded queue and refuses rather than running on the caller
        assertThat(profile).isNotNull();
        assertThat(profile.getPoolSize()).isEqualTo(hr.sync().parallelism());
        assertThat(profile.getMaxPoolSize()).isEqualTo(hr.sync().parallelism());
        assertThat(profile.getMaxQueueSize()).isEqualTo(Integer.MAX_VALUE);
        assertThat(profile.getRejectedPolicy()).isEqualTo(ThreadPoolRejectedPolicy.Abort);
    }
}
