package io.sophonsight.gateway;

import java.util.concurrent.CompletableFuture;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.sophonsight.gateway.security.RequestBodyTooLargeException;
import io.sophonsight.gateway.security.RequestGuardFilter;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The platform-http engine of the gateway: Camel's Spring Boot engine, with each request routed on
 * the servlet container's (Tomcat's) request thread, as camel-servlet does.
 *
 * <p>Camel's engine hands every request to Spring's task executor and answers Spring MVC with a
 * {@link CompletableFuture}; Spring MVC then starts servlet async processing, and once the route
 * is done dispatches the request through the filters and the DispatcherServlet a second time. Per
 * request that is two thread hand-offs and two passes through the web stack, for routes that block
 * anyway (a push is answered only after its database commit). Here {@code service} runs the route
 * and writes the answer before it returns, and returns no future: Spring MVC treats the request as
 * handled. Concurrency is bounded by Tomcat's request threads ({@code server.tomcat.threads.max});
 * the async request timeout ({@code camel.component.platform-http.request-timeout}) no longer applies.
 * With {@code gateway.http.route-on-request-thread: false} Camel's own engine is used instead.
 */
@Component("platform-http-engine")
@ConditionalOnProperty(name = "gateway.http.route-on-request-thread", havingValue = "true", matchIfMissing = true)
public class ServletThreadPlatformHttpEngine extends SpringBootPlatformHttpEngine {

    public ServletThreadPlatformHttpEngine(@Value("${server.port:8080}") int port) {
        super(port, Runnable::run);
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new ServletThreadConsumer(endpoint, processor);
    }

    /** Routes the exchange on the calling (servlet) thread; the answer is written when service returns. */
    static final class ServletThreadConsumer extends SpringBootPlatformHttpConsumer {

        private static final Logger LOG = LoggerFactory.getLogger(ServletThreadConsumer.class);

        ServletThreadConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            super(endpoint, processor, Runnable::run);
        }

        @Override
        public CompletableFuture<Void> service(HttpServletRequest request, HttpServletResponse response) {
            try {
                handleService(request, response);
            } catch (Exception e) {
                if (RequestBodyTooLargeException.in(e) != null) {
                    // a streamed body passed the endpoint's limit while the HTTP binding read it (RequestGuardFilter)
                    answerTooLarge(request, response, RequestBodyTooLargeException.in(e));
                    return null;
                }
                // as Camel's engine: never leak the exception to the container, answer 500 if still possible
                LOG.warn("Error handling request due to: {}", e.getMessage(), e);
                try {
                    if (!response.isCommitted()) {
                        response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                    }
                } catch (Exception ignored) {
                    // the client is gone
                }
            }
            return null; // no future: Spring MVC marks the request handled, no async dispatch
        }

        private static void answerTooLarge(HttpServletRequest request, HttpServletResponse response,
                                           RequestBodyTooLargeException tooLarge) {
            LOG.info("Request {} {} from {} refused (413): streamed body over {} bytes", request.getMethod(),
                    request.getRequestURI(), request.getRemoteAddr(), tooLarge.limit());
            try {
                if (!response.isCommitted()) {
                    response.resetBuffer();
                    response.setHeader("Connection", "close");
                    RequestGuardFilter.writeProblem(response, 413,
                            "the body is over the limit of " + tooLarge.limit() + " bytes (gateway.api.max-body-size)");
                }
            } catch (Exception ignored) {
                // the client is gone
            }
        }
    }
}
