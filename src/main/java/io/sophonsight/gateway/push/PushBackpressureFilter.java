package io.sophonsight.gateway.push;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.sophonsight.gateway.security.RequestGuardFilter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the bytes of pushes the gateway holds at once (the in-flight budget,
 * {@code push.in-flight.max-bytes}). Every push body becomes several times its size in the heap while it
 * is parsed and stored; without a bound, a burst of large image pushes (32 concurrent 2 MB pushes into
 * a 512 MB heap) ended in an OutOfMemoryError, the pod restarted, the platform resent the burst, and
 * it died again. With it, a push that does not fit is answered at once with 503, {@code Retry-After}
 * and a JSON reason, before a byte of it is kept; the platform sends it again later.
 *
 * <ul>
 *   <li>A body with a Content-Length reserves that many bytes before anything reads it; if they do not
 *       fit, its bytes are read and thrown away (constant memory, so the caller gets the answer on an
 *       intact connection; a caller waiting for {@code 100-continue} never sends them) and the 503 is
 *       written here.</li>
 *   <li>A streamed (chunked) body reserves its bytes as they arrive, {@value #QUANTUM} at a time; when
 *       the next share does not fit, the rest is thrown away, the stream ends and request attribute
 *       {@value #OVER_BUDGET} tells {@link PushBodyReader} to refuse it with {@link PushOverloadedException}.</li>
 *   <li>A push larger than the whole budget is admitted when nothing else is in flight, so no push
 *       under {@code push.max-body-size} is refused for ever.</li>
 *   <li>The reservation is returned when the answer is written (the event committed or refused).</li>
 * </ul>
 *
 * Runs after the filters that decide whether a push may come in at all and how large it may be
 * (key, address, {@code push.max-body-size}: {@link PushRequestFilter}); they must have an order
 * below {@link #ORDER}. Metrics {@code gateway_push_in_flight_bytes}, {@code gateway_push_in_flight_budget_bytes},
 * {@code gateway_push_overloaded_total}; refusals are logged at most once per {@link #LOG_INTERVAL}.
 */
@Component
@Order(PushBackpressureFilter.ORDER)
public class PushBackpressureFilter extends OncePerRequestFilter {

    /** After the key, address and size checks. */
    public static final int ORDER = Ordered.LOWEST_PRECEDENCE;

    /** Request attribute: a streamed body ran out of budget (value: the {@link PushOverloadedException} to answer with). */
    public static final String OVER_BUDGET = "io.sophonsight.gateway.push.overBudget";

    /** Bytes a streamed body reserves at a time (about one TCP receive window; few reservations per push). */
    static final int QUANTUM = 256 * 1024;

    /** One log line per interval at most: under a burst every refusal would otherwise be a line. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(PushBackpressureFilter.class);

    private final Set<String> paths;
    private final long budget;
    private final long retryAfterSeconds;
    private final AtomicLong inFlight = new AtomicLong();
    private final Counter overloadedAccess;
    private final Counter overloadedDeviceStatus;
    private final String accessPath;
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_INTERVAL.toNanos());

    @Autowired
    public PushBackpressureFilter(PushProperties push, MeterRegistry registry) {
        this(push.accessPath(), push.deviceStatusPath(), push.inFlight().maxBytes(), push.inFlight().heapShare(),
                push.inFlight().expansion(), push.inFlight().retryAfter(), registry);
    }

    public PushBackpressureFilter(String accessPath, String deviceStatusPath, String maxBytes, double heapShare,
                                  double expansion, Duration retryAfter, MeterRegistry registry) {
        this.accessPath = accessPath;
        this.paths = Set.of(accessPath, deviceStatusPath);
        this.budget = budget(maxBytes, heapShare, expansion, Runtime.getRuntime().maxMemory());
        this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        Gauge.builder("gateway.push.in.flight", inFlight, AtomicLong::get).baseUnit("bytes")
                .description("Bytes of push bodies being received and stored now (reserved from the in-flight budget)")
                .register(registry);
        Gauge.builder("gateway.push.in.flight.budget", this, f -> f.budget).baseUnit("bytes")
                .description("Most bytes of push bodies held at once (push.in-flight.max-bytes); more -> 503")
                .register(registry);
        this.overloadedAccess = overloadedCounter(registry, "access");
        this.overloadedDeviceStatus = overloadedCounter(registry, "device-status");
        LOG.info("Push in-flight budget: {} bytes ({} MB){}", budget, budget / (1024 * 1024),
                "auto".equalsIgnoreCase(maxBytes.trim()) ? String.format(Locale.ROOT,
                        " = %.2f of the max heap (%d MB) / expansion %.1f", heapShare,
                        Runtime.getRuntime().maxMemory() / (1024 * 1024), expansion) : "");
    }

    private static Counter overloadedCounter(MeterRegistry registry, String receiver) {
        return Counter.builder("gateway.push.overloaded")
                .description("Pushes answered 503 + Retry-After because the in-flight budget was full (the platform resends them)")
                .tag("receiver", receiver)
                .register(registry);
    }

    /** {@code max-bytes} as a size, or with {@code auto}: heap share of the max heap divided by the expansion. */
    static long budget(String maxBytes, double heapShare, double expansion, long maxHeap) {
        String text = maxBytes == null ? "" : maxBytes.trim();
        if (!"auto".equalsIgnoreCase(text)) {
            long bytes = DataSize.parse(text).toBytes();
            if (bytes <= 0) {
                throw new IllegalArgumentException("push.in-flight.max-bytes must be positive or auto: " + maxBytes);
            }
            return bytes;
        }
        if (heapShare <= 0 || heapShare > 1 || expansion < 1) {
            throw new IllegalArgumentException("push.in-flight.heap-share must be in (0, 1] and push.in-flight.expansion >= 1");
        }
        return Math.max(1, (long) (maxHeap * heapShare / expansion));
    }

    /** Bytes reserved now (tests, diagnostics). */
    public long inFlightBytes() {
        return inFlight.get();
    }

    public long budgetBytes() {
        return budget;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !paths.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getAttribute(RequestGuardFilter.TOO_LARGE) != null) {
            chain.doFilter(request, response); // over push.max-body-size: its body is gone already, the route answers 413
            return;
        }
        long declared = request.getContentLengthLong();
        Reservation reservation = new Reservation();
        if (declared >= 0) {
            if (!reservation.add(declared)) {
                refuse(request, response, declared);
                return;
            }
        }
        try {
            HttpServletRequest admitted = declared >= 0 ? request : new StreamedBody(request, reservation);
            chain.doFilter(admitted, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(reservation); // Camel's own engine: the route answers later
            } else {
                reservation.release();
            }
        }
    }

    /** Reserves {@code bytes} unless they do not fit next to what is in flight; alone, any size fits. */
    private boolean tryReserve(long bytes) {
        while (true) {
            long current = inFlight.get();
            if (current > 0 && current + bytes > budget) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, long size) throws IOException {
        String reason = overloaded(request, size).getReason();
        if (!"100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            drain(request); // thrown away, never kept: the caller still reads its 503
        } else {
            response.setHeader("Connection", "close"); // the body was never asked for
        }
        response.setStatus(503);
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        response.setContentType("application/json;charset=UTF-8");
        byte[] json = PushReplies.json(503, reason).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    /** Counts and (rate-limited) logs a refusal; the exception carries the reason and Retry-After. */
    private PushOverloadedException overloaded(HttpServletRequest request, long size) {
        (accessPath.equals(request.getRequestURI()) ? overloadedAccess : overloadedDeviceStatus).increment();
        long refused = refusedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogNanos.get();
        if (now - last >= LOG_INTERVAL.toNanos() && lastLogNanos.compareAndSet(last, now)) {
            refusedSinceLog.addAndGet(-refused);
            LOG.warn("Pushes answered 503 (Retry-After {} s): {} bytes of pushes in flight, budget {} bytes "
                            + "(push.in-flight.max-bytes); {} refused since the last such line, the platform resends them",
                    retryAfterSeconds, inFlight.get(), budget, refused);
        }
        return new PushOverloadedException("the gateway is busy: " + (size >= 0 ? size + " more bytes" : "this push")
                + " would exceed its budget of " + budget + " bytes of pushes in flight; send it again after "
                + retryAfterSeconds + " s", retryAfterSeconds);
    }

    /** What one request holds of the budget; returned once, when its answer is written. */
    private final class Reservation implements AsyncListener {
        private long reserved;
        private boolean released;

        boolean add(long bytes) {
            if (bytes == 0 || tryReserve(bytes)) {
                reserved += bytes;
                return true;
            }
            return false;
        }

        synchronized void release() {
            if (!released) {
                released = true;
                inFlight.addAndGet(-reserved);
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            release();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            release();
        }

        @Override
        public void onError(AsyncEvent event) {
            release();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    /** A chunked body: its bytes are reserved as they arrive; when the budget runs out, the rest is thrown away. */
    private final class StreamedBody extends HttpServletRequestWrapper {
        private final ServletInputStream in;

        StreamedBody(HttpServletRequest request, Reservation reservation) {
            super(request);
            this.in = new BudgetedInputStream(request, reservation);
        }

        @Override
        public ServletInputStream getInputStream() {
            return in;
        }
    }

    private final class BudgetedInputStream extends ServletInputStream {
        private final HttpServletRequest request;
        private final Reservation reservation;
        private long read;
        private boolean cut;

        BudgetedInputStream(HttpServletRequest request, Reservation reservation) {
            this.request = request;
            this.reservation = reservation;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (cut) {
                return -1;
            }
            if (read + length > reservation.reserved && !reservation.add(Math.max(QUANTUM, length))) {
                cut = true;
                request.setAttribute(OVER_BUDGET, overloaded(request, -1)); // PushBodyReader throws it: 503
                drain(request);
                return -1;
            }
            int n = request.getInputStream().read(buffer, offset, length);
            if (n > 0) {
                read += n;
            }
            return n;
        }

        @Override
        public boolean isFinished() {
            try {
                return cut || request.getInputStream().isFinished();
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("blocking reads only");
        }
    }

    /**
     * Reads the rest of a refused body and throws it away (constant memory; {@link RequestGuardFilter} has already
     * bounded it by the push limit). Left unread, Tomcat would close the connection while the platform is still
     * sending, and it would see a broken connection instead of the 503 that tells it to send again.
     */
    static void drain(HttpServletRequest request) throws IOException {
        byte[] discard = new byte[64 * 1024];
        ServletInputStream in = request.getInputStream();
        while (in.read(discard) != -1) {
            // discarded
        }
    }

}
