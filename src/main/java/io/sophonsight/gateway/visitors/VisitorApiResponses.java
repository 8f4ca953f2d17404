package io.sophonsight.gateway.visitors;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sophonsight.gateway.security.RequestGuardFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the visitor REST API answers: the registration as JSON, and the HTTP status that tells the
 * caller where the visitor stands (201 registered, 202 pending, 422 refused by the platform, 400 invalid,
 * 404 unknown). Bodies are maps; the routes marshal them to JSON.
 */
@Component("visitorApi")
public class VisitorApiResponses {

    private static final Logger LOG = LoggerFactory.getLogger(VisitorApiResponses.class);

    private final String basePath;

    public VisitorApiResponses(VisitorsProperties visitors) {
        String basePath = visitors.api().path();
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    }

    /** A registration row as the API shows it: camelCase fields, ISO-8601 UTC times. No photo bytes. */
    public Map<String, Object> registration(Map<String, Object> row) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", row.get("id"));
        view.put("status", row.get("status"));
        view.put("statusReason", row.get("status_reason"));
        view.put("name", row.get("name"));
        view.put("startTime", iso(row.get("visit_start")));
        view.put("endTime", iso(row.get("visit_end")));
        view.put("needsAudit", row.get("needs_audit"));
        view.put("hostEmployeeId", row.get("host_employee_id"));
        view.put("reason", row.get("visit_reason"));
        view.put("photoId", row.get("photo_id"));
        view.put("platformStatus", row.get("platform_status"));
        view.put("platformMessage", row.get("platform_message"));
        view.put("attempts", row.get("attempts"));
        view.put("nextAttemptAt", isPending(row) ? iso(row.get("next_attempt_at")) : null);
        view.put("deadline", iso(row.get("deadline_at")));
        view.put("source", row.get("source"));
        view.put("sourceRef", row.get("source_ref"));
        view.put("createdAt", iso(row.get("created_at")));
        view.put("updatedAt", iso(row.get("updated_at")));
        view.put("registeredAt", iso(row.get("registered_at")));
        return view;
    }

    /**
     * The HTTP status that tells a caller where a registration with this {@code status} stands: 201 registered, 202
     * not final yet (waiting for the platform, or for an operator to check a lost answer; never send it again), 422
     * refused by the platform, 502 given up.
     */
    public int httpStatus(String status) {
        return switch (String.valueOf(status)) {
            case VisitorRegistrationLifecycle.REGISTERED -> 201;
            case VisitorRegistrationLifecycle.PENDING, VisitorRegistrationLifecycle.UNCERTAIN -> 202;
            case VisitorRegistrationLifecycle.REJECTED -> 422;
            default -> 502;
        };
    }

    /** The URL path of a registration, for the Location header. */
    public String location(String id) {
        return basePath + "/" + id;
    }

    /** Answer body for an unknown registration id (404). */
    public Map<String, Object> notFound(String id) {
        return error("no visitor registration with id " + id);
    }

    /**
     * Answer of a resolution that changed nothing ({@code row}: the registration, null when unknown): {@code httpStatus}
     * 404 unknown id, 409 not UNCERTAIN (resolved already, or never uncertain), with the reason.
     */
    public Map<String, Object> resolutionRefused(Map<String, Object> row, String id) {
        if (row == null) {
            Map<String, Object> body = notFound(id);
            body.put("httpStatus", 404);
            return body;
        }
        Map<String, Object> body = error("visitor registration " + id + " is " + row.get("status")
                + ", not UNCERTAIN: only a registration whose visitor/add answer was lost is resolved by an operator");
        body.put("httpStatus", 409);
        body.put("registration", registration(row));
        return body;
    }

    /** Error step for a request that failed validation: 400 with one reason per field. */
    public Map<String, Object> invalid(Exchange exchange) {
        VisitorValidationException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, VisitorValidationException.class);
        LOG.warn("Visitor registration refused with 400 (from {}): {}", remoteAddress(exchange), e.getMessage());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
        Map<String, Object> body = error("invalid visitor registration");
        body.put("fields", e.getFieldErrors());
        return body;
    }

    /**
     * Error step for an Idempotency-Key that cannot be honoured: 422 reused for another visitor, 409 the same
     * key arrived twice at once (the unique key refused the second insert; the client retries later).
     */
    public Map<String, Object> idempotencyConflict(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int status = e instanceof VisitorIdempotencyConflictException conflict ? conflict.getStatus() : 409;
        String reason = e instanceof VisitorIdempotencyConflictException ? e.getMessage()
                : "a request with this Idempotency-Key is being processed: retry later for its answer";
        LOG.warn("Visitor registration refused with {} (from {}): {}", status, remoteAddress(exchange), reason);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        return error(reason);
    }

    /**
     * Error step for anything unexpected: 500 without internals; the details go to the log. A streamed body that
     * passed {@code gateway.api.max-body-size} while it was read (the read failed, {@link RequestGuardFilter} marked
     * the request) is 413 instead, whatever wrapped that failure on its way here.
     */
    public Map<String, Object> failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        HttpServletRequest request = exchange.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class);
        if (request != null && request.getAttribute(RequestGuardFilter.TOO_LARGE) instanceof Long limit) {
            LOG.info("Visitor registration refused with 413 (from {}): streamed body over {} bytes",
                    request.getRemoteAddr(), limit);
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 413);
            return error("body is over the limit of " + limit + " bytes (gateway.api.max-body-size)");
        }
        LOG.error("Visitor API request {} failed", exchange.getExchangeId(), e);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 500);
        return error("the gateway could not process the request (exchange " + exchange.getExchangeId() + ")");
    }

    private static String remoteAddress(Exchange exchange) {
        return exchange.getProperty(VisitorRequestReader.CALLER, "?", String.class);
    }

    private static Map<String, Object> error(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return body;
    }

    private static boolean isPending(Map<String, Object> row) {
        return VisitorRegistrationLifecycle.PENDING.equals(row.get("status"));
    }

    private static String iso(Object column) {
        Instant instant = VisitorTimes.fromColumn(column);
        return instant == null ? null : instant.toString();
    }
}
