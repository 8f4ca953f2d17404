package io.sophonsight.gateway.console;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * First check of every console request (hawtio's pages and its Jolokia), before hawtio's login: the console is
 * off (404) unless {@link ConsoleSettings} enables it, and with {@code gateway.console.loopback-only} it answers
 * only callers on the loopback interface (403 otherwise): a browser on the same machine, or
 * {@code kubectl port-forward}, which connects from inside the pod. So Prometheus' namespace, which may reach
 * the management port for metrics, cannot reach the console.
 */
public class ConsoleAccessFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAccessFilter.class);

    private final ConsoleSettings settings;

    public ConsoleAccessFilter(ConsoleSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!settings.enabled()) {
            refuse(response, HttpServletResponse.SC_NOT_FOUND,
                    "the console is off: set GATEWAY_CONSOLE_USER and GATEWAY_CONSOLE_PASSWORD");
            return;
        }
        if (settings.loopbackOnly() && !isLoopback(request.getRemoteAddr())) {
            LOG.warn("Console request from {} refused: the console answers the loopback interface only (kubectl port-forward; "
                    + "GATEWAY_CONSOLE_LOOPBACK_ONLY)", request.getRemoteAddr());
            refuse(response, HttpServletResponse.SC_FORBIDDEN,
                    "the console answers this machine only: use kubectl port-forward (GATEWAY_CONSOLE_LOOPBACK_ONLY)");
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            // a literal address from the socket: no name lookup happens
            return InetAddress.getByName(address.strip()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void refuse(HttpServletResponse response, int status, String reason) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write("{\"status\":" + status + ",\"error\":\"" + reason + "\"}");
    }
}
