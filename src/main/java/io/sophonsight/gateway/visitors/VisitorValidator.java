package io.sophonsight.gateway.visitors;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sophonsight.gateway.common.ImageType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Checks a visitor registration field by field, the same way for every entry (REST, table), and turns
 * it into a {@link VisitorRequest}. Every problem is reported at once, one reason per field, so a
 * caller fixes its request in one go.
 *
 * <p>Input: a map with the REST field names ({@code name}, {@code startTime}, {@code endTime},
 * {@code photo}, {@code needsAudit}, {@code hostEmployeeId}, {@code reason}); {@code photo} is base64
 * text (a {@code data:image/...;base64,} prefix is allowed) or the image bytes themselves.
 */
@Component("visitorValidator")
public class VisitorValidator {

    /** Column sizes of visitor_registration; longer values are refused rather than cut. */
    static final int MAX_NAME = 100;
    static final int MAX_HOST_EMPLOYEE_ID = 100;
    static final int MAX_REASON = 500;

    private final long maxPhotoBytes;
    private final Clock clock;

    @Autowired
    public VisitorValidator(VisitorsProperties visitors) {
        this(visitors.photo().maxBytes(), Clock.systemUTC());
    }

    VisitorValidator(long maxPhotoBytes, Clock clock) {
        this.maxPhotoBytes = maxPhotoBytes;
        this.clock = clock;
    }

    public VisitorRequest validate(Map<String, Object> fields) {
        Map<String, String> errors = new LinkedHashMap<>();

        String name = text(fields.get("name"));
        if (name == null) {
            errors.put("name", "is required");
        } else if (name.length() > MAX_NAME) {
            errors.put("name", "must be at most " + MAX_NAME + " characters");
        }

        Instant start = time(fields, "startTime", errors);
        Instant end = time(fields, "endTime", errors);
        if (start != null && end != null && !start.isBefore(end)) {
            errors.put("endTime", "must be after startTime");
        } else if (end != null && !end.isAfter(clock.instant())) {
            errors.put("endTime", "must be in the future");
        }

        byte[] photo = photo(fields.get("photo"), errors);
        ImageType image = photo == null ? null : ImageType.sniff(photo);
        String photoType = image != null && image.isFacePhoto() ? image.extension() : null;
        if (photo != null) {
            if (photoType == null) {
                errors.put("photo", "must be a JPEG or PNG image");
            } else if (photo.length > maxPhotoBytes) {
                errors.put("photo", "must be at most " + maxPhotoBytes + " bytes, was " + photo.length);
            }
        }

        Boolean needsAudit = flag(fields.get("needsAudit"));
        if (needsAudit == null) {
            errors.put("needsAudit", "must be true or false");
        }

        String host = text(fields.get("hostEmployeeId"));
        if (host != null && host.length() > MAX_HOST_EMPLOYEE_ID) {
            errors.put("hostEmployeeId", "must be at most " + MAX_HOST_EMPLOYEE_ID + " characters");
        }
        String reason = text(fields.get("reason"));
        if (reason != null && reason.length() > MAX_REASON) {
            errors.put("reason", "must be at most " + MAX_REASON + " characters");
        }

        // PostgreSQL text stores no NUL character: refused here, not a 500 from the insert
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("name", name);
        texts.put("hostEmployeeId", host);
        texts.put("reason", reason);
        texts.forEach((field, value) -> {
            if (value != null && value.indexOf('\u0000') >= 0) {
                errors.putIfAbsent(field, "must not contain a NUL character");
            }
        });

        if (!errors.isEmpty()) {
            throw new VisitorValidationException(errors);
        }
        return new VisitorRequest(name, start, end, photo, photoType, needsAudit, host, reason);
    }

    private static Instant time(Map<String, Object> fields, String field, Map<String, String> errors) {
        Object value = fields.get(field);
        if (value == null || value instanceof String s && s.isBlank()) {
            errors.put(field, "is required");
            return null;
        }
        try {
            return VisitorTimes.parse(value);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            errors.put(field, e.getMessage());
            return null;
        }
    }

    private byte[] photo(Object value, Map<String, String> errors) {
        if (value instanceof byte[] bytes) {
            if (bytes.length == 0) {
                errors.put("photo", "is required");
                return null;
            }
            return bytes;
        }
        String text = text(value);
        if (text == null) {
            errors.put("photo", "is required");
            return null;
        }
        int comma = text.indexOf(',');
        if (text.startsWith("data:") && comma > 0) {
            text = text.substring(comma + 1);
        }
        // a base64 text is 4/3 of the image: refuse a huge text before decoding it
        if (text.length() > (maxPhotoBytes + 2) / 3 * 4 + text.length() / 60 + 16) {
            errors.put("photo", "must be at most " + maxPhotoBytes + " bytes");
            return null;
        }
        try {
            byte[] bytes = Base64.getMimeDecoder().decode(text);
            if (bytes.length == 0) {
                errors.put("photo", "is required");
                return null;
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            errors.put("photo", "must be base64 text of a JPEG or PNG image");
            return null;
        }
    }

    /** True, false, or null when the value is not a recognisable flag; absent means true (the platform's default). */
    private static Boolean flag(Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            return Boolean.TRUE;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.intValue() == 1 ? Boolean.TRUE : n.intValue() == 0 ? Boolean.FALSE : null;
        }
        return switch (String.valueOf(value).trim().toLowerCase()) {
            case "true", "1", "yes", "y" -> Boolean.TRUE;
            case "false", "0", "no", "n" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value).trim();
        return text.isEmpty() ? null : text;
    }
}
