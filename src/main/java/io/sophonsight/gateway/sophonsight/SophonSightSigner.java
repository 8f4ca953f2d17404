package io.sophonsight.gateway.sophonsight;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Turns "API path + business fields" into the exact signed HTTP request of docs/sophonsight-openapi.md §1.
 * The body is serialised once; those bytes are both signed and sent, so field order and
 * encoding can never differ between what was signed and what the platform reads.
 */
@Component("sophonSightSigner")
public class SophonSightSigner {

    /** Input header of {@code direct:sophonsight-call}: the API path, e.g. {@code /openapi/v1/syncuser/addOrEdit}. */
    public static final String PATH_HEADER = "SophonSightPath";
    /** Set for log lines: the token with all but its first characters masked. */
    public static final String MASKED_TOKEN_HEADER = "SophonSightTokenMasked";

    /** Set for log lines and tests: the path the token was computed over (base-URL path prefix + API path). */
    public static final String SIGNED_PATH_HEADER = "SophonSightSignedPath";

    private static final TypeReference<LinkedHashMap<String, Object>> ORDERED_MAP = new TypeReference<>() { };

    private final SophonSightCredentials credentials;
    private final ObjectMapper mapper;
    private final Supplier<String> baseUrl;
    private final Clock clock;
    /** The base URL's path (empty for none), read on first use like the base URL itself. */
    private volatile String pathPrefix;

    /** The base URL is read on first use: with the simulator on port 0 it is known only once it has bound. */
    @Autowired
    public SophonSightSigner(SophonSightCredentials credentials, ObjectMapper mapper, Environment environment) {
        this(credentials, mapper, () -> environment.getRequiredProperty("sophonsight.base-url"), Clock.systemUTC());
    }

    SophonSightSigner(SophonSightCredentials credentials, ObjectMapper mapper, Supplier<String> baseUrl, Clock clock) {
        this.credentials = credentials;
        this.mapper = mapper;
        this.baseUrl = new Supplier<>() {
            private volatile String resolved;

            @Override
            public String get() {
                if (resolved == null) {
                    String url = baseUrl.get();
                    resolved = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
                }
                return resolved;
            }
        };
        this.clock = clock;
    }

    /** A request ready to send: the exact bytes and the token computed over them. */
    public record SignedRequest(String path, byte[] body, String token) { }

    /** Builds the body {@code appkey, time, business fields...} and signs it. */
    public SignedRequest sign(String path, Map<String, ?> businessFields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("appkey", credentials.appkey());
        body.put("time", clock.millis());
        if (businessFields != null) {
            businessFields.forEach((key, value) -> {
                if (!"appkey".equals(key) && !"time".equals(key)) {
                    body.put(key, value);
                }
            });
        }
        try {
            byte[] bytes = mapper.writeValueAsBytes(body);
            return new SignedRequest(path, bytes, SophonSightToken.compute(path, bytes, credentials.secret()));
        } catch (Exception e) {
            throw new IllegalArgumentException("Business fields for " + path + " cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * What one HTTP request to the platform needs, computed from the API path and the business fields: the route
     * ({@code sophonsight-exchange}) copies each field into the header the HTTP step reads.
     *
     * @param uri         the full URL: base URL + API path
     * @param signedPath  the path the token covers (the base URL's path prefix + the API path)
     * @param query       {@code token=<32 hex>}
     * @param maskedToken the token as it may appear in a log line
     * @param body        the exact JSON bytes the token was computed over
     */
    public record HttpRequest(String uri, String signedPath, String query, String maskedToken, byte[] body) { }

    /**
     * The signed request for {@code path} ({@code /openapi/...}) with {@code businessFields} (a map, or JSON text
     * of an object, or null): {@code appkey} and {@code time} added, the token computed over the exact bytes.
     */
    public HttpRequest request(String path, Object businessFields) throws Exception {
        if (path == null || !path.startsWith("/openapi/")) {
            throw new IllegalArgumentException("Header " + PATH_HEADER + " must hold an open API path such as "
                    + "/openapi/v1/syncuser/addOrEdit, was: " + path);
        }
        // the token covers the URI after the host (docs/sophonsight-openapi.md §1): behind a reverse proxy that is the base URL's path + the API path
        SignedRequest signed = sign(signedPath(path), businessFields(businessFields));
        return new HttpRequest(baseUrl.get() + path, signed.path(), "token=" + signed.token(),
                SophonSightToken.mask(signed.token()), signed.body());
    }

    /**
     * The request path as the platform sees it: {@code SOPHONSIGHT_BASE_URL=http://host/prefix} sends
     * {@code /openapi/...} to {@code /prefix/openapi/...}, and the token must cover that full path.
     */
    public String signedPath(String apiPath) {
        String prefix = pathPrefix;
        if (prefix == null) { // parsed once: a URI parse per call showed in the HR sync's profile
            String raw = java.net.URI.create(baseUrl.get()).getRawPath();
            prefix = raw == null || "/".equals(raw) ? "" : raw;
            pathPrefix = prefix;
        }
        return prefix.isEmpty() ? apiPath : prefix + apiPath;
    }

    @SuppressWarnings("unchecked")
    private Map<String, ?> businessFields(Object body) throws Exception {
        if (body == null) {
            return Map.of();
        }
        if (body instanceof Map<?, ?> map) {
            return (Map<String, ?>) map;
        }
        if (body instanceof String text) {
            return text.isBlank() ? Map.of() : mapper.readValue(text, ORDERED_MAP);
        }
        if (body instanceof byte[] bytes) {
            return bytes.length == 0 ? Map.of() : mapper.readValue(bytes, ORDERED_MAP);
        }
        return mapper.convertValue(body, ORDERED_MAP);
    }
}
