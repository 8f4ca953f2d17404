package io.sophonsight.gateway.push;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

import io.sophonsight.gateway.security.RequestGuardFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes the push receivers read every body as JSON, whatever Content-Type the caller sets; otherwise a body
 * labelled {@code application/x-www-form-urlencoded} (as {@code curl -d} sends) would be parsed as form fields
 * before the route runs, and bad input there would end in a 500 instead of a 400. Runs after
 * {@link RequestGuardFilter}, which has admitted the push and limits its body.
 */
@Component
@Order(RequestGuardFilter.ORDER + 1)
public class PushRequestFilter extends OncePerRequestFilter {

    private static final String JSON = "application/json";

    private final Set<String> paths;

    public PushRequestFilter(PushProperties push) {
        this.paths = Set.of(push.accessPath(), push.deviceStatusPath());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !paths.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
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
