package io.sophonsight.gateway.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sophonsight.gateway.sophonsight.SophonSightToken;
import org.springframework.stereotype.Component;

/**
 * The body of every error answer of the REST API: an RFC 7807 problem ({@code application/problem+json}) with
 * {@code type}, {@code title}, {@code status} and {@code detail}, plus {@code fields} for invalid input. The
 * {@code rest-api} route configuration chooses the kind and status; route {@code rest-api-problem} writes it.
 * The detail is the caller's business only: never a stack trace, a key or a platform URL.
 */
@Component("problemAnswers")
public class ProblemAnswers {

    /** Prefix of {@code type}: each kind is listed in docs/rest-api.md. */
    public static final String TYPE_PREFIX = "urn:sophonsight-gateway:problem:";

    /** A problem of {@code kind} (e.g. {@code invalid-input}) answered with {@code status}. */
    public Map<String, Object> problem(String kind, int status, String title, String detail) {
        return of(kind, status, title, detail);
    }

    /** The same for code outside the routes (the request guard refusing before any route runs). */
    public static Map<String, Object> of(String kind, int status, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", TYPE_PREFIX + kind);
        problem.put("title", title);
        problem.put("status", status);
        // an exception's message may quote a platform URL with its access token
        problem.put("detail", SophonSightToken.maskInText(detail));
        return problem;
    }

    /** 400 with one reason per field, in the order they were checked. */
    public Map<String, Object> invalidFields(String detail, Map<String, String> fields) {
        Map<String, Object> problem = problem("invalid-input", 400, "Invalid input", detail);
        problem.put("fields", fields);
        return problem;
    }
}
