package io.sophonsight.gateway.push;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Prepares requests to the push receivers before the HTTP binding reads them (it reads the whole
 * body eagerly):
 * <ul>
 *   <li>a body larger than {@code push.max-body-size} is never kept in memory: a declared
 *       Content-Length over the limit hides the body, a streamed (chunked) body is cut after the
 *       limit (the rest is read and discarded, so the caller gets its 413 on an intact connection);
 *       {@link PushBodyReader} then answers 413;</li>
 *   <li>every body is read as JSON, whatever Content-Type the caller sets; otherwise a body labelled
 *       {@code application/x-www-form-urlencoded} (as {@code curl -d} sends) would be parsed as form
 *       fields before the route runs, and bad input there would end in a 500 instead of a 400.</li>
 * </ul>
 */
@Component
@Order(PushBackpressureFilter.ORDER - 10) // before the in-flight budget: a body over the limit reserves nothing
public class PushRequestFilter extends OncePerRequestFilter {

    /** Request attribute: the body is over the limit (value: its size in bytes, or -1 when unknown). */
    public static final String TOO_LARGE = "io.sophonsight.gateway.push.tooLarge";

    private static final String JSON = "application/json";

    private final Set<String> paths;
    private final long maxBytes;

    public PushRequestFilter(@Value("${push.access-path}") String accessPath,
                             @Value("${push.device-status-path}") String deviceStatusPath,
                             @Value("${dead-letter.replay-path}") String replayPath,
                             @Value("${push.max-body-size:16MB}") DataSize maxBodySize) {
        this.paths = Set.of(accessPath, deviceStatusPath, replayPath);
        this.maxBytes = maxBodySize.toBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !paths.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            request.setAttribute(TOO_LARGE, declared);
            drain(request); // discarded, never kept: the caller still gets its 413 on an intact connection
        }
        ServletInputStream limited = new LimitedInputStream(request, declared > maxBytes ? 0 : maxBytes);
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getContentType() {
                return JSON;
            }

            @Override
            public String getHeader(String name) {
                return "Content-Type".equalsIgnoreCase(name) ? JSON : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return "Content-Type".equalsIgnoreCase(name)
                        ? Collections.enumeration(Set.of(JSON)) : super.getHeaders(name);
            }

            @Override
            public ServletInputStream getInputStream() {
                return limited;
            }
        }, response);
    }

    /**
     * Reads the rest of a body over the limit and throws it away (constant memory). Left unread, Tomcat would
     * close the connection while the caller is still sending, and the caller would see a broken connection
     * instead of the 413.
     */
    static void drain(HttpServletRequest request) throws IOException {
        byte[] discard = new byte[64 * 1024];
        ServletInputStream in = request.getInputStream();
        while (in.read(discard) != -1) {
            // discarded
        }
    }

    /** Reads at most {@code limit} bytes and then one more read, which marks the request too large and ends the stream. */
    private static final class LimitedInputStream extends ServletInputStream {
        private final HttpServletRequest request;
        private final long limit;
        private long read;
        private boolean cut;

        LimitedInputStream(HttpServletRequest request, long limit) {
            this.request = request;
            this.limit = limit;
        }

        private ServletInputStream in() throws IOException {
            return request.getInputStream();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (cut || limit == 0) {
                return -1;
            }
            int n = in().read(buffer, offset, (int) Math.min(length, limit + 1 - read));
            if (n > 0) {
                read += n;
                if (read > limit) {
                    cut = true;
                    if (request.getAttribute(TOO_LARGE) == null) {
                        request.setAttribute(TOO_LARGE, -1L);
                    }
                    drain(request);
                    return n; // including the bytes past the limit, so the reader sees a body over it (413)
                }
            }
            return n;
        }

        @Override
        public boolean isFinished() {
            return cut || limit == 0 || read >= limit;
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
}
