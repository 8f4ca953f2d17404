package io.sophonsight.gateway.visitors;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A visitor registration that cannot be accepted as given: one reason per field, in the order the
 * fields were checked. The REST entry answers 400 with these reasons; the table entry marks the row
 * failed with the message.
 */
public class VisitorValidationException extends RuntimeException {

    private final Map<String, String> fieldErrors;

    public VisitorValidationException(Map<String, String> fieldErrors) {
        super("invalid visitor registration: " + fieldErrors.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; ")), null, false, false);
        this.fieldErrors = Collections.unmodifiableMap(new LinkedHashMap<>(fieldErrors));
    }

    public static VisitorValidationException of(String field, String reason) {
        return new VisitorValidationException(Map.of(field, reason));
    }

    /** Field name (as the REST API spells it) to reason, in checking order. */
    public Map<String, String> getFieldErrors() {
        return fieldErrors;
    }
}
