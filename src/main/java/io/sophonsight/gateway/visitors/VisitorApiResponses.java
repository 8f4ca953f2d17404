package io.sophonsight.gateway.visitors;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sophonsight.gateway.api.ProblemAnswers;
import org.springframework.stereotype.Component;

/**
 * What the visitor REST API answers: the registration as JSON, and the HTTP status that tells the
 * caller where the visitor stands (201 registered, 202 pending, 422 refused by the platform, 404 unknown).
 * Bodies are maps; the routes marshal them to JSON. Errors (400 invalid, 409, 500) are answered by the
 * {@code rest-api} route configuration as problems.
 */
@Component("visitorApi")
public class VisitorApiResponses {

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

    /** Problem answer for an unknown registration id (404). */
    public Map<String, Object> notFound(String id) {
        return ProblemAnswers.of("not-found", 404, "Not found", "no visitor registration with id " + id);
    }

    /**
     * Problem answer of a resolution that changed nothing ({@code row}: the registration, null when unknown): 404
     * unknown id, 409 not UNCERTAIN (resolved already, or never uncertain), with the registration as it stands.
     */
    public Map<String, Object> resolutionRefused(Map<String, Object> row, String id) {
        if (row == null) {
            return notFound(id);
        }
        Map<String, Object> body = ProblemAnswers.of("not-uncertain", 409, "Not uncertain", "visitor registration " + id
                + " is " + row.get("status") + ", not UNCERTAIN: only a registration whose visitor/add answer was lost"
                + " is resolved by an operator");
        body.put("registration", registration(row));
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
