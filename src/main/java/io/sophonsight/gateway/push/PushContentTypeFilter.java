package io.sophonsight.gateway.push;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes the push receivers read every body as JSON, whatever Content-Type the caller sets. Without
 * it, a body labelled {@code application/x-www-form-urlencoded} (as {@code curl -d} sends) is parsed
 * as form fields by the HTTP binding before the route runs, and bad input there ends in a 500
 * instead of the receivers' 400 with a reason.
 */
@Component
public class PushContentTypeFilter extends OncePerRequestFilter {

    private static final String JSON = "application/json";

    private final Set<String> paths;

    public PushContentTypeFilter(@Value("${push.access-path}") String accessPath,
                                 @Value("${push.device-status-path}") String deviceStatusPath,
                                 @Value("${dead-letter.replay-path}") String replayPath) {
        this.paths = Set.of(accessPath, deviceStatusPath, replayPath);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !paths.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        if (type != null && type.toLowerCase().startsWith(JSON)) {
            chain.doFilter(request, response);
            return;
        }
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
        }, response);
    }
}
