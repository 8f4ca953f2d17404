package io.sophonsight.gateway.http;

import io.sophonsight.gateway.GatewayTestSupport;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's platform-http engine routes a request on the thread that received it and has
 * written the answer when it returns: no hand-off to another thread, no servlet async processing.
 */
class ServletThreadPlatformHttpEngineTest extends GatewayTestSupport {

    @Test
    void theGatewaysRoutesAreServedByTheRequestThreadEngine() {
        // Given the running gateway
        // Then its platform-http endpoints are served by the gateway's engine, not Camel's default one
        assertThat(camelContext.getComponent("platform-http", PlatformHttpComponent.class).getEngine())
                .isInstanceOf(ServletThreadPlatformHttpEngine.class);
    }

    @Test
    void aRequestIsRoutedOnTheCallingThreadAndAnsweredBeforeServiceReturns() throws Exception {
        // Given a consumer of the gateway's engine whose route notes the thread it runs on
        AtomicReference<Thread> routedOn = new AtomicReference<>();
        PlatformHttpEndpoint endpoint = camelContext.getEndpoint("platform-http:/engine-test", PlatformHttpEndpoint.class);
        SpringBootPlatformHttpConsumer consumer = (SpringBootPlatformHttpConsumer) new ServletThreadPlatformHttpEngine(0)
                .createConsumer(endpoint, exchange -> {
                    routedOn.set(Thread.currentThread());
                    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
                    exchange.getMessage().setBody("routed");
                });
        ServiceHelper.startService(consumer);
        try {
            MockHttpServletRequest request = new MockHttpServletRequest("POST", "/engine-test");
            request.setContentType("application/json");
            request.setContent("{}".getBytes(StandardCharsets.UTF_8));
            MockHttpServletResponse response = new MockHttpServletResponse();

            // When the servlet container's thread calls it
            CompletableFuture<Void> future = consumer.service(request, response);

            // Then the route ran on that very thread, the answer is written, and there is no future
            // for Spring MVC to wait for (so no async processing, no second dispatch)
            assertThat(routedOn.get()).isSameAs(Thread.currentThread());
            assertThat(response.getStatus()).isEqualTo(202);
            assertThat(response.getContentAsString()).isEqualTo("routed");
            assertThat(future).isNull();
            assertThat(request.isAsyncStarted()).isFalse();
        } finally {
            ServiceHelper.stopService(consumer);
        }
    }
}
