package io.sophonsight.gateway.push;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-flight budget of {@link PushBackpressureFilter} on its own: what is admitted, what is refused
 * with 503 + Retry-After, and that every reservation comes back. Concurrency is made deterministic by
 * sending the second push from inside the filter chain of the first (the first is still in flight there).
 */
class PushBackpressureFilterTest {

    private static final String ACCESS = "/sophonsight/access-records";
    private static final long MB = 1024 * 1024;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(PushBackpressureFilter.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    private PushBackpressureFilter filter(String maxBytes) {
        return new PushBackpressureFilter(ACCESS, "/sophonsight/device-status", maxBytes, 0.5, 6, Duration.ofSeconds(2), registry);
    }

    private static MockHttpServletRequest push(long size) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", ACCESS);
        request.setContent(new byte[(int) size]);
        return request;
    }

    private double overloaded() {
        return registry.get("gateway.push.overloaded").tag("receiver", "access").counter().count();
    }

    @Test
    void autoBudgetIsTheHeapShareOfTheMaxHeapDividedByTheExpansion() {
        // Given a 512 MB heap, half of it for pushes, 6 heap bytes per body byte; When sized; Then 512 / 2 / 6 MB
        assertThat(PushBackpressureFilter.budget("auto", 0.5, 6, 512 * MB)).isEqualTo(512 * MB / 2 / 6);
        // And an explicit size wins
        assertThat(PushBackpressureFilter.budget("64MB", 0.5, 6, 512 * MB)).isEqualTo(64 * MB);
    }

    @Test
    void pushThatDoesNotFitNextToThoseInFlightIsAnswered503WithRetryAfterAndNeverReachesTheRoute() throws Exception {
        // Given a budget of 3 MB and a push of 2 MB in flight
        PushBackpressureFilter filter = filter("3MB");
        MockHttpServletResponse second = new MockHttpServletResponse();
        AtomicReference<Long> inFlightDuringFirst = new AtomicReference<>();
        AtomicReference<Boolean> secondReachedTheRoute = new AtomicReference<>(false);
        FilterChain firstRoute = (request, response) -> {
            inFlightDuringFirst.set(filter.inFlightBytes());
            // When another push of 2 MB arrives meanwhile
            filter.doFilter(push(2 * MB), second, (r, s) -> secondReachedTheRoute.set(true));
        };
        filter.doFilter(push(2 * MB), new MockHttpServletResponse(), firstRoute);

        // Then it is refused at once: 503, Retry-After, a JSON reason; the route never saw it
        assertThat(inFlightDuringFirst.get()).isEqualTo(2 * MB);
        assertThat(secondReachedTheRoute.get()).isFalse();
        assertThat(second.getStatus()).isEqualTo(503);
        assertThat(second.getHeader("Retry-After")).isEqualTo("2");
        assertThat(second.getContentType()).startsWith("application/json");
        assertThat(second.getContentAsString()).startsWith("{\"status\":503,\"message\":\"the gateway is busy");
        assertThat(overloaded()).isEqualTo(1.0);
        // And every byte reserved is back once the first push is answered
        assertThat(filter.inFlightBytes()).isZero();
        assertThat(registry.get("gateway.push.in.flight").gauge().value()).isZero();
    }

    @Test
    void pushesThatFitTogetherAreAllAdmitted() throws Exception {
        // Given a budget of 5 MB and a push of 2 MB in flight; When another of 2 MB arrives; Then it is admitted too
        PushBackpressureFilter filter = filter("5MB");
        AtomicReference<Long> inFlightDuringSecond = new AtomicReference<>();
        filter.doFilter(push(2 * MB), new MockHttpServletResponse(), (r1, s1) ->
                filter.doFilter(push(2 * MB), new MockHttpServletResponse(), (r2, s2) -> inFlightDuringSecond.set(filter.inFlightBytes())));
        assertThat(inFlightDuringSecond.get()).isEqualTo(4 * MB);
        assertThat(filter.inFlightBytes()).isZero();
        assertThat(overloaded()).isZero();
    }

    @Test
    void pushLargerThanTheWholeBudgetIsAdmittedWhenNothingElseIsInFlight() throws Exception {
        // Given a budget of 1 MB and nothing in flight; When a push of 3 MB arrives; Then it is admitted (alone)
        PushBackpressureFilter filter = filter("1MB");
        MockHttpServletResponse second = new MockHttpServletResponse();
        AtomicReference<Boolean> admitted = new AtomicReference<>(false);
        filter.doFilter(push(3 * MB), new MockHttpServletResponse(), (r, s) -> {
            admitted.set(true);
            // And while it is in flight even a tiny push waits for its turn
            filter.doFilter(push(10), second, (r2, s2) -> { });
        });
        assertThat(admitted.get()).isTrue();
        assertThat(second.getStatus()).isEqualTo(503);
        assertThat(filter.inFlightBytes()).isZero();
    }

    @Test
    void streamedBodyReservesAsItArrivesAndIsCutWithA503ReasonWhenTheBudgetRunsOut() throws Exception {
        // Given a budget of 1 MB, 768 KB of it held by a push in flight
        PushBackpressureFilter filter = filter("1MB");
        AtomicReference<Integer> readOfStreamed = new AtomicReference<>();
        AtomicReference<Object> attribute = new AtomicReference<>();
        AtomicReference<InputStream> original = new AtomicReference<>();
        filter.doFilter(push(768 * 1024), new MockHttpServletResponse(), (r1, s1) -> {
            // When a chunked body (no Content-Length) of 2 MB streams in meanwhile
            MockHttpServletRequest chunked = new MockHttpServletRequest("POST", ACCESS) {
                @Override
                public long getContentLengthLong() {
                    return -1;
                }

                @Override
                public int getContentLength() {
                    return -1;
                }
            };
            chunked.setContent(new byte[(int) (2 * MB)]);
            original.set(chunked.getInputStream());
            filter.doFilter(chunked, new MockHttpServletResponse(), (r2, s2) -> {
                readOfStreamed.set(readAll(((HttpServletRequest) r2).getInputStream()));
                attribute.set(r2.getAttribute(PushBackpressureFilter.OVER_BUDGET));
            });
        });
        // Then the route reads only what fitted (one share of 256 KB), the stream ends, the attribute carries the 503
        assertThat(readOfStreamed.get()).isEqualTo(PushBackpressureFilter.QUANTUM);
        assertThat(attribute.get()).isInstanceOfSatisfying(PushOverloadedException.class, e -> {
            assertThat(e.getHttpStatus()).isEqualTo(503);
            assertThat(e.getRetryAfterSeconds()).isEqualTo(2);
        });
        // And the rest of the body was read and thrown away (the caller gets its answer on an intact connection)
        assertThat(original.get().read()).isEqualTo(-1);
        assertThat(filter.inFlightBytes()).isZero();
        assertThat(overloaded()).isEqualTo(1.0);
    }

    @Test
    void reservationOfAnAsyncRequestIsReturnedWhenItsAnswerCompletes() throws Exception {
        // Given Camel's own engine (gateway.http.route-on-request-thread=false): the route answers after the filter returned
        PushBackpressureFilter filter = filter("5MB");
        MockHttpServletRequest request = push(MB);
        request.setAsyncSupported(true);
        filter.doFilter(request, new MockHttpServletResponse(), (r, s) -> r.startAsync());
        // Then the bytes stay reserved while the route works
        assertThat(filter.inFlightBytes()).isEqualTo(MB);
        // When the answer is complete; Then they are back
        request.getAsyncContext().complete();
        assertThat(filter.inFlightBytes()).isZero();
    }

    @Test
    void refusalsAreLoggedAtMostOncePerIntervalWithTheCount() throws Exception {
        // Given a full budget; When five pushes are refused in a row
        PushBackpressureFilter filter = filter("1MB");
        filter.doFilter(push(MB), new MockHttpServletResponse(), (r, s) -> {
            for (int i = 0; i < 5; i++) {
                filter.doFilter(push(MB), new MockHttpServletResponse(), (r2, s2) -> { });
            }
        });
        // Then one WARN line says so; the counter has all five
        assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1)
                .first().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("Pushes answered 503").contains("budget 1048576 bytes");
        assertThat(overloaded()).isEqualTo(5.0);
    }

    @Test
    void otherPathsAreNotCounted() throws Exception {
        // Given a tiny budget held by a push; When the REST API is called meanwhile; Then it passes untouched
        PushBackpressureFilter filter = filter("1MB");
        MockHttpServletResponse api = new MockHttpServletResponse();
        filter.doFilter(push(MB), new MockHttpServletResponse(), (r, s) -> {
            MockHttpServletRequest other = new MockHttpServletRequest("POST", "/api/visitors");
            other.setContent("{}".getBytes(StandardCharsets.UTF_8));
            filter.doFilter(other, api, (r2, s2) -> { });
        });
        assertThat(api.getStatus()).isEqualTo(200);
        assertThat(overloaded()).isZero();
    }

    private static int readAll(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        int total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            total += n;
        }
        return total;
    }
}
