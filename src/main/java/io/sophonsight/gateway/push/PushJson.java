package io.sophonsight.gateway.push;

import java.io.IOException;
import java.math.BigDecimal;

import io.sophonsight.gateway.common.Text;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Parses push bodies with limits of its own (nesting depth, string size) and reads their fields
 * leniently where the platform is lenient (numbers sent as strings, ids with stray spaces) and
 * strictly where a value cannot be understood (an object where a number belongs). Every refusal is
 * a {@link PushRejectedException} 400 naming the field.
 */
@Component("pushJson")
public class PushJson {

    /** 9999-12-31T23:59:59.999Z: later times fit no database timestamp column (PostgreSQL's end at year 294276). */
    static final long LATEST_EPOCH_MILLIS = 253_402_300_799_999L;

    private final ObjectMapper mapper;

    @Autowired
    public PushJson(PushProperties push) {
        this(push.maxNestingDepth(), push.maxBodySize());
    }

    public PushJson(int maxNestingDepth, org.springframework.util.unit.DataSize maxBodySize) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxNestingDepth)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxBodySize.toBytes()))
                        .build())
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    /** The body as a JSON object; anything else (not JSON, an array, null, too deep) is refused. */
    public ObjectNode object(byte[] body) {
        return object(() -> mapper.readTree(body));
    }

    /**
     * {@link #object(byte[])} of a body read as it arrives (a {@link PushBody}): no copy of the whole body, the
     * tree holds its values only; what follows the object is read to the end (and thrown away).
     */
    public ObjectNode object(java.io.InputStream body) {
        return object(() -> {
            JsonNode tree = mapper.readTree(body);
            if (body instanceof PushBody push) {
                push.finish();
            }
            return tree;
        });
    }

    private interface Parse {
        JsonNode tree() throws IOException;
    }

    private static ObjectNode object(Parse parse) {
        JsonNode node;
        try {
            node = parse.tree();
        } catch (StreamConstraintsException e) {
            throw PushRejectedException.badRequest("JSON nested too deeply or too large: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw PushRejectedException.badRequest("not valid JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || node.isMissingNode()) {
            throw PushRejectedException.badRequest("empty body: a JSON object was expected");
        }
        if (!node.isObject()) {
            throw PushRejectedException.badRequest("a JSON object was expected, got " + describe(node));
        }
        return (ObjectNode) node;
    }

    /** Trimmed text of a string or number field; null when absent, JSON null or blank. */
    public static String text(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isValueNode()) {
            throw PushRejectedException.badRequest("field '" + field + "' must be a string or a number, got " + describe(node));
        }
        String value = node.asText().trim();
        if (value.indexOf('\u0000') >= 0) {
            throw PushRejectedException.badRequest("field '" + field + "' contains a NUL character (\\u0000), "
                    + "which no text column stores");
        }
        return value.isEmpty() ? null : value;
    }

    /**
     * {@link #text(JsonNode, String)} of at most {@code maxLength} characters: the size of the column it is stored in,
     * so an over-long value is refused here (400) instead of failing the insert later (a 500 the platform would resend
     * forever, or an acknowledged event the fan-out can never record).
     */
    public static String text(JsonNode parent, String field, int maxLength) {
        String value = text(parent, field);
        if (value != null && value.length() > maxLength) {
            throw PushRejectedException.badRequest("field '" + field + "' is longer than " + maxLength + " characters ("
                    + value.length() + ")");
        }
        return value;
    }

    public static String requiredText(JsonNode parent, String field, int maxLength) {
        String value = text(parent, field, maxLength);
        if (value == null) {
            throw PushRejectedException.badRequest("missing required field '" + field + "'");
        }
        return value;
    }

    public static String requiredText(JsonNode parent, String field) {
        String value = text(parent, field);
        if (value == null) {
            throw PushRejectedException.badRequest("missing required field '" + field + "'");
        }
        return value;
    }

    /** A number sent as a number or a numeric string; null when absent or blank. */
    public static BigDecimal number(JsonNode parent, String field) {
        String value = text(parent, field);
        if (value == null) {
            return null;
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw PushRejectedException.badRequest("field '" + field + "' must be a number, got '" + Text.truncate(value, 120) + "'");
        }
    }

    public static Long epochMillis(JsonNode parent, String field, boolean required) {
        BigDecimal value = required ? number(parent, requiredField(parent, field)) : number(parent, field);
        if (value == null) {
            return null;
        }
        try {
            long millis = value.longValueExact();
            if (millis <= 0 || millis > LATEST_EPOCH_MILLIS) {
                throw PushRejectedException.badRequest("field '" + field + "' must be a positive epoch time in ms "
                        + "before the year 10000");
            }
            return millis;
        } catch (ArithmeticException e) {
            throw PushRejectedException.badRequest("field '" + field + "' must be a whole number of ms");
        }
    }

    public static Integer integer(JsonNode parent, String field) {
        BigDecimal value = number(parent, field);
        if (value == null) {
            return null;
        }
        try {
            return value.intValueExact();
        } catch (ArithmeticException e) {
            throw PushRejectedException.badRequest("field '" + field + "' must be a whole number");
        }
    }

    /** An object field; null when absent or JSON null; refused when it is something else. */
    public static JsonNode object(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw PushRejectedException.badRequest("field '" + field + "' must be an object, got " + describe(node));
        }
        return node;
    }

    private static String requiredField(JsonNode parent, String field) {
        requiredText(parent, field);
        return field;
    }

    static String describe(JsonNode node) {
        return node.isArray() ? "an array" : node.isNull() ? "null" : node.isObject() ? "an object"
                : node.isTextual() ? "a string" : node.isBoolean() ? "a boolean" : "a " + node.getNodeType().name().toLowerCase();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return Text.truncate(newline < 0 ? text : text.substring(0, newline), 120);
    }
}
