package io.sophonsight.gateway.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A reproducible stream of malformed push bodies (seeded {@link Random}): the same seed gives the same inputs,
 * so a failure found once can be replayed. Each input starts from a valid sample of its endpoint, made unique
 * (its own person and pass time, or its own device) so that an input that happens to be a valid event is a new
 * event and not a duplicate of another, then broken in one way of its {@link Kind}.
 */
final class MalformedPushes {

    /** The classes of malformed input. */
    enum Kind {
        RANDOM_BYTES("random bytes"),
        TRUNCATED("truncation of a valid sample"),
        TYPE_SWAP("a field's value of another JSON type"),
        HUGE_NUMBER("huge, tiny or over-long numbers"),
        UNICODE("unicode: exotic text, escaped lone surrogates, invalid UTF-8 bytes"),
        DEEP_NESTING("nesting deeper than the limit"),
        EMPTY("empty, blank, {} and stray braces"),
        NOT_AN_OBJECT("JSON arrays, null and scalars"),
        HUGE_STRING("strings of 10 KB to 512 KB, under the size limit"),
        OVER_SIZE_LIMIT("a body over the size limit");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    /** One input: its class, the endpoint it goes to, the bytes. */
    record Input(int index, Kind kind, String path, byte[] body) { }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String HUGE_MARK = "__HUGE_NUMBER__";
    private static final String BYTES_MARK = "__RAW_BYTES__";
    private static final String[] HUGE_NUMBERS = {
        "1e400", "-1e400", "1E-400", "99999999999999999999999999999999", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "123456789012345678901234567890.5", "0.0000000000000000000000001", "-0", "4294967296",
        "1" + "0".repeat(2000), "\"1e999999999\"", "\"-1e-999999999\"", "NaN", "Infinity", "-Infinity", "0x10", "1.7976931348623157E309"};
    private static final String[] UNICODE_TEXTS = {
        "张三\u200b\u200d", "👩‍👩‍👧‍👦🚪", "\u202eevil\u202c", "e\u0301\u0301\u0301", "\u0000nul", "\\ud800", "\\udfff\\ud800",
        "ﷺ", "\uFFFF\uFFFE", "Ω≈ç√∫˜µ≤≥÷", "'; DROP TABLE access_record; --", "\r\n\t"};
    private static final byte[][] INVALID_UTF8 = {
        {(byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xe4, (byte) 0xb8},
        {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xfe, (byte) 0xfe}};
    private static final String[] EMPTY_BODIES = {"", " ", "\n\t \r\n", "{}", "{", "}", "{ }", "\uFEFF"};

    private final ObjectMapper mapper = new ObjectMapper();
    private final Random random;
    private final Map<String, List<JsonNode>> samples;
    private final Map<String, Function<ObjectNode, ObjectNode>> uniqueness;
    private final long oversizeBytes;

    /**
     * @param samples    valid samples per endpoint path
     * @param uniqueness per endpoint path: makes a sample copy unique (its own person/time, or its own device)
     */
    MalformedPushes(long seed, Map<String, List<JsonNode>> samples, Map<String, Function<ObjectNode, ObjectNode>> uniqueness,
                    long oversizeBytes) {
        this.random = new Random(seed);
        this.samples = samples;
        this.uniqueness = uniqueness;
        this.oversizeBytes = oversizeBytes;
    }

    /** {@code count} inputs, the classes taking turns, plus {@code oversize} bodies over the limit. */
    List<Input> generate(int count, int oversize) {
        List<String> paths = new ArrayList<>(new java.util.TreeSet<>(samples.keySet())); // a fixed order: reproducible
        List<Input> inputs = new ArrayList<>();
        Kind[] kinds = Kind.values();
        int regularKinds = kinds.length - 1; // OVER_SIZE_LIMIT is rationed: each one is a body of megabytes
        for (int i = 0; i < count; i++) {
            Kind kind = kinds[i % regularKinds];
            String path = paths.get(random.nextInt(paths.size()));
            inputs.add(new Input(i, kind, path, body(kind, path)));
        }
        for (int i = 0; i < oversize; i++) {
            String path = paths.get(i % paths.size());
            inputs.add(new Input(count + i, Kind.OVER_SIZE_LIMIT, path, body(Kind.OVER_SIZE_LIMIT, path)));
        }
        return inputs;
    }

    private byte[] body(Kind kind, String path) {
        return switch (kind) {
            case RANDOM_BYTES -> randomBytes();
            case TRUNCATED -> truncated(path);
            case TYPE_SWAP -> typeSwap(path);
            case HUGE_NUMBER -> hugeNumber(path);
            case UNICODE -> unicode(path);
            case DEEP_NESTING -> deepNesting(path);
            case EMPTY -> EMPTY_BODIES[random.nextInt(EMPTY_BODIES.length)].getBytes(StandardCharsets.UTF_8);
            case NOT_AN_OBJECT -> notAnObject(path);
            case HUGE_STRING -> hugeString(path);
            case OVER_SIZE_LIMIT -> overSizeLimit(path);
        };
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[1 + random.nextInt(2048)];
        random.nextBytes(bytes);
        if (random.nextBoolean()) {
            bytes[0] = '{'; // looks like JSON for the first byte at least
        }
        return bytes;
    }

    private byte[] truncated(String path) {
        String text = write(uniqueSample(path)).trim();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int cut = random.nextInt(bytes.length); // a strict prefix of an object is never valid JSON
        return java.util.Arrays.copyOf(bytes, cut);
    }

    private byte[] typeSwap(String path) {
        ObjectNode event = uniqueSample(path);
        List<Slot> slots = slots(event);
        Slot slot = slots.get(random.nextInt(slots.size()));
        slot.set(otherType(slot.get()));
        return bytes(event);
    }

    private byte[] hugeNumber(String path) {
        ObjectNode event = uniqueSample(path);
        List<Slot> slots = slots(event);
        slots.get(random.nextInt(slots.size())).set(NODES.textNode(HUGE_MARK));
        String number = HUGE_NUMBERS[random.nextInt(HUGE_NUMBERS.length)];
        return write(event).replace("\"" + HUGE_MARK + "\"", number).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] unicode(String path) {
        ObjectNode event = uniqueSample(path);
        List<Slot> slots = slots(event);
        slots.get(random.nextInt(slots.size())).set(NODES.textNode(BYTES_MARK));
        String text = write(event);
        int at = text.indexOf(BYTES_MARK);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        if (random.nextBoolean()) {
            String exotic = UNICODE_TEXTS[random.nextInt(UNICODE_TEXTS.length)];
            // JSON-escape what must be escaped, keep the \\uXXXX escapes of lone surrogates as escapes
            out.writeBytes(exotic.replace("\u0000", "\\u0000").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
                    .getBytes(StandardCharsets.UTF_8));
        } else {
            out.writeBytes("before".getBytes(StandardCharsets.UTF_8));
            out.writeBytes(INVALID_UTF8[random.nextInt(INVALID_UTF8.length)]);
            out.writeBytes("after".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(text.substring(at + BYTES_MARK.length()).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private byte[] deepNesting(String path) {
        int depth = 33 + random.nextInt(3000);
        boolean arrays = random.nextBoolean();
        String nested = arrays ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        if (random.nextInt(4) == 0) {
            return nested.getBytes(StandardCharsets.UTF_8); // the whole body
        }
        ObjectNode event = uniqueSample(path);
        List<Slot> slots = slots(event);
        slots.get(random.nextInt(slots.size())).set(NODES.textNode(HUGE_MARK));
        return write(event).replace("\"" + HUGE_MARK + "\"", nested).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] notAnObject(String path) {
        return switch (random.nextInt(7)) {
            case 0 -> "[]".getBytes(StandardCharsets.UTF_8);
            case 1 -> ("[" + write(uniqueSample(path)) + "]").getBytes(StandardCharsets.UTF_8);
            case 2 -> "null".getBytes(StandardCharsets.UTF_8);
            case 3 -> "true".getBytes(StandardCharsets.UTF_8);
            case 4 -> Integer.toString(random.nextInt()).getBytes(StandardCharsets.UTF_8);
            case 5 -> "\"{\\\"deviceId\\\":\\\"BOX-1\\\"}\"".getBytes(StandardCharsets.UTF_8);
            default -> "[[{}],[null]]".getBytes(StandardCharsets.UTF_8);
        };
    }

    private byte[] hugeString(String path) {
        ObjectNode event = uniqueSample(path);
        String huge = "x".repeat(10 * 1024 + random.nextInt(502 * 1024));
        if (random.nextBoolean()) {
            event.put("unknownHugeField", huge); // an extra field the gateway ignores
        } else {
            List<Slot> slots = slots(event);
            slots.get(random.nextInt(slots.size())).set(NODES.textNode(huge));
        }
        return bytes(event);
    }

    private byte[] overSizeLimit(String path) {
        byte[] prefix = write(uniqueSample(path)).trim().replaceFirst("}$", ",\"padding\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[(int) oversizeBytes];
        java.util.Arrays.fill(body, (byte) 'x');
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[body.length - 2] = '"';
        body[body.length - 1] = '}';
        return body;
    }

    private JsonNode otherType(JsonNode current) {
        List<JsonNode> candidates = new ArrayList<>(List.of(NODES.textNode("swapped"), NODES.numberNode(12345),
                NODES.numberNode(1.5), NODES.booleanNode(true), NODES.nullNode(), NODES.objectNode(),
                NODES.objectNode().put("x", 1), NODES.arrayNode(), NODES.arrayNode().add(1).add("two"), NODES.textNode("")));
        candidates.removeIf(c -> c.getNodeType() == current.getNodeType());
        return candidates.get(random.nextInt(candidates.size()));
    }

    private ObjectNode uniqueSample(String path) {
        List<JsonNode> choices = samples.get(path);
        ObjectNode copy = choices.get(random.nextInt(choices.size())).deepCopy();
        return uniqueness.get(path).apply(copy);
    }

    /** A place holding a value: a field of an object or an element of an array, at any depth. */
    private interface Slot {
        JsonNode get();

        void set(JsonNode value);
    }

    private static List<Slot> slots(ContainerNode<?> container) {
        List<Slot> slots = new ArrayList<>();
        collect(container, slots);
        return slots;
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                JsonNode child = object.get(name);
                slots.add(new Slot() {
                    public JsonNode get() {
                        return object.get(name);
                    }

                    public void set(JsonNode value) {
                        object.set(name, value);
                    }
                });
                collect(child, slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                int index = i;
                slots.add(new Slot() {
                    public JsonNode get() {
                        return array.get(index);
                    }

                    public void set(JsonNode value) {
                        array.set(index, value);
                    }
                });
                collect(array.get(i), slots);
            }
        }
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] bytes(JsonNode node) {
        return write(node).getBytes(StandardCharsets.UTF_8);
    }
}
