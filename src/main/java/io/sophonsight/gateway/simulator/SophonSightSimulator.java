package io.sophonsight.gateway.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sophonsight.gateway.sophonsight.SophonSightToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A faithful stand-in for the SophonSight platform on its own port: the open API of docs/sophonsight-openapi.md §3
 * with its authentication rules, plus an admin API under {@code /simulator/} to inspect state,
 * seed devices and records, inject faults and trigger pushes.
 */
public class SophonSightSimulator implements AutoCloseable {

    public static final int MISSING_TOKEN = 1001;
    public static final int INVALID_TOKEN = 1002;
    public static final int UNKNOWN_APPKEY = 1003;
    public static final int TIME_OUT_OF_WINDOW = 1004;
    public static final int BODY_NOT_JSON = 1005;
    static final long TIME_WINDOW_MS = 5 * 60 * 1000L;
    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SophonSightSimulator.class);

    private final SimulatorState state = new SimulatorState();
    private final SimulatorFaults faults = new SimulatorFaults();
    private final SimulatorReadings readings;
    private final SimulatorPaging paging;
    private final SimulatedOpenApi api;
    private final ObjectMapper mapper;
    private final String appkey;
    private final String secret;
    private final SimulatorPusher pusher;
    private volatile boolean downloadAsEnvelope;
    private HttpServer server;
    private ExecutorService executor;
    private ScheduledExecutorService pushSchedule;

    public SophonSightSimulator(ObjectMapper mapper, String appkey, String secret, SimulatorPusher.Config pushConfig,
                                boolean downloadAsEnvelope) {
        this(mapper, appkey, secret, pushConfig, downloadAsEnvelope, "", SimulatorPaging.Settings.DEFAULT);
    }

    /** {@code basePath}: the open API's path prefix, as behind a reverse proxy ({@code ""}: none). */
    public SophonSightSimulator(ObjectMapper mapper, String appkey, String secret, SimulatorPusher.Config pushConfig,
                                boolean downloadAsEnvelope, String basePath) {
        this(mapper, appkey, secret, pushConfig, downloadAsEnvelope, basePath, SimulatorPaging.Settings.DEFAULT);
    }

    public SophonSightSimulator(ObjectMapper mapper, String appkey, String secret, SimulatorPusher.Config pushConfig,
                                boolean downloadAsEnvelope, SimulatorPaging.Settings pagingSettings) {
        this(mapper, appkey, secret, pushConfig, downloadAsEnvelope, "", pagingSettings);
    }

    public SophonSightSimulator(ObjectMapper mapper, String appkey, String secret, SimulatorPusher.Config pushConfig,
                                boolean downloadAsEnvelope, String basePath, SimulatorPaging.Settings pagingSettings) {
        this.paging = new SimulatorPaging(pagingSettings);
        this.mapper = mapper;
        this.appkey = appkey;
        this.secret = secret;
        this.readings = new SimulatorReadings(basePath);
        this.api = new SimulatedOpenApi(state, readings, paging);
        this.pusher = new SimulatorPusher(state, mapper, pushConfig.accessUrl(), pushConfig.deviceStatusUrl(), readings);
        this.downloadAsEnvelope = downloadAsEnvelope;
    }

    /**
     * Switches how pic/download answers at runtime: a JSON envelope with base64 {@code data.photoByteStr}
     * (true) or the image stream (false, the default), so tests and demos can exercise both styles
     * of docs/sophonsight-openapi.md §3.2 against one running simulator.
     */
    public void setPhotoDownloadAsEnvelope(boolean asEnvelope) {
        this.downloadAsEnvelope = asEnvelope;
    }

    public boolean photoDownloadAsEnvelope() {
        return downloadAsEnvelope;
    }

    public SimulatorState state() {
        return state;
    }

    public SimulatorFaults faults() {
        return faults;
    }

    public SimulatorPusher pusher() {
        return pusher;
    }

    /** The readings of what the docs leave open that the simulator currently plays (defaults after reset). */
    public SimulatorReadings readings() {
        return readings;
    }

    /** How lists are paged (page-size cap, order, reorder, inserts, total omitted); see {@link SimulatorPaging}. */
    public SimulatorPaging paging() {
        return paging;
    }

    /** A few boxes of different kinds, so the embedded demo has devices to list, push for and report on. */
    public void seedDemoDevices(int count) {
        String[] names = {"Lobby gate", "Main door", "Car park capture", "Visitor kiosk", "Warehouse door", "Roof dome"};
        int[] types = {2, 1, 5, 4, 1, 6};
        for (int i = 0; i < count; i++) {
            state.putDevice(new SimulatorState.Device(String.format("BOX-%04d", i + 1), types[i % types.length],
                    names[i % names.length] + (i < names.length ? "" : " " + (i + 1)), System.currentTimeMillis()));
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Binds the port (0 = any free port) and, when {@code pushIntervalMs > 0}, starts the scheduled pushes. */
    public synchronized void start(String host, int port, long pushIntervalMs) throws IOException {
        // The JDK server writes headers and body separately; without TCP_NODELAY every answer waits for the
        // client's delayed ACK (~40 ms per call). Read once per JVM, so set before the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        server = HttpServer.create(new InetSocketAddress(host, port), 128);
        executor = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "sophonsight-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/openapi/", this::handleOpenApi);
        // the open API under a base path (SimulatorReadings.basePath), as behind a reverse proxy
        server.createContext("/", this::handleOpenApi);
        server.createContext("/simulator/", this::handleAdmin);
        server.start();
        startScheduledPushes(pushIntervalMs);
    }

    /**
     * Starts the scheduled push rounds, the first one {@code pushIntervalMs} from now (0 = none). The built-in
     * simulator calls this once the gateway is ready, so no round reaches receivers that are not there yet.
     */
    public synchronized void startScheduledPushes(long pushIntervalMs) {
        if (pushIntervalMs <= 0 || pushSchedule != null) {
            return;
        }
        pushSchedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sophonsight-simulator-push");
            t.setDaemon(true);
            return t;
        });
        pushSchedule.scheduleWithFixedDelay(this::safePushRound, pushIntervalMs, pushIntervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (pushSchedule != null) {
            pushSchedule.shutdownNow();
        }
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    private void safePushRound() {
        try {
            pusher.pushRound();
        } catch (RuntimeException e) {
            LOG.warn("Simulator scheduled push failed: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------ open API
    private void handleOpenApi(HttpExchange http) throws IOException {
        try (http) {
            // the token covers the full path the caller used; the API is what follows the base path
            String fullPath = http.getRequestURI().getPath();
            String basePath = readings.basePath();
            if (!fullPath.startsWith(basePath + "/openapi/")) {
                sendJson(http, 404, Map.of("status", 404, "message", "no such API: " + fullPath
                        + (basePath.isEmpty() ? "" : " (the open API is served under " + basePath + ")")));
                return;
            }
            String path = fullPath.substring(basePath.length());
            if (!"POST".equals(http.getRequestMethod())) {
                sendJson(http, 405, Map.of("status", 405, "message", "only POST is supported"));
                return;
            }
            byte[] body = readBody(http);
            if (!api.knows(path)) {
                sendJson(http, 404, Map.of("status", 404, "message", "no such API: " + path));
                return;
            }
            state.countCall(path);
            state.countRequestHeaders(http.getRequestHeaders().keySet());
            JsonNode json = parse(body);
            SimulatorFaults.Fault fault = faults.next(path, json);
            SimulatorFaults.Mode mode = fault == null ? null : fault.mode();
            if (mode != null) {
                switch (mode) {
                    case DROP -> {
                        return; // close without an answer: the caller sees a broken connection
                    }
                    case HTTP_ERROR -> {
                        sendBytes(http, fault.httpStatus(), "text/html", "<html>injected HTTP error</html>".getBytes());
                        return;
                    }
                    case BUSINESS -> {
                        sendEnvelope(http, fault.status(), fault.message(), null);
                        return;
                    }
                    case DELAY -> sleep(fault.delayMs());
                    default -> { } // the APPLY_THEN_* faults act once the call is applied
                }
            }
            Reply reply = apply(fullPath, path, body, json, query(http.getRequestURI(), "token"));
            if (mode == SimulatorFaults.Mode.APPLY_THEN_DROP) {
                LOG.debug("Simulator applied {} and drops the connection without an answer", path);
                return;
            }
            if (mode == SimulatorFaults.Mode.APPLY_THEN_LATE) {
                LOG.debug("Simulator applied {} and answers in {} ms", path, fault.delayMs());
                sleep(fault.delayMs());
            }
            try {
                sendBytes(http, reply.httpStatus(), reply.contentType(), reply.bytes());
            } catch (IOException e) {
                // a late answer: the caller has usually given up and closed the connection by now
                LOG.debug("Simulator could not deliver the answer to {}: {}", path, e.toString());
            }
        } catch (RuntimeException e) {
            LOG.warn("Simulator failed to answer {}: {}", http.getRequestURI().getPath(), e.toString());
            sendJson(http, 500, Map.of("status", 500, "message", "simulator error"));
        }
    }

    /** An answer ready to send: computed (and the call applied) before it is sent, or lost. */
    private record Reply(int httpStatus, String contentType, byte[] bytes) { }

    /**
     * Authenticates (the token over the full path the caller used, base path included) and applies one
     * open API call ({@code path}: the API path after the base path); the answer it would send.
     */
    private Reply apply(String fullPath, String path, byte[] body, JsonNode json, String token) throws IOException {
        int authStatus = authenticate(fullPath, body, json, token);
        if (authStatus != 0) {
            return envelope(authStatus, authMessage(authStatus), null);
        }
        try {
            if ("/openapi/v1/pic/download".equals(path)) {
                byte[] photo = api.download(json);
                if (downloadAsEnvelope) {
                    return envelope(0, "SUCCESS", Map.of("photoId", json.path("photoId").asText(),
                            "photoByteStr", Base64.getEncoder().encodeToString(photo)));
                }
                String id = json.path("photoId").asText().toLowerCase();
                return new Reply(200, switch (readings.downloadContentType()) {
                    case IMAGE -> id.endsWith(".png") ? "image/png" : "image/jpeg";
                    case TEXT_PLAIN -> "text/plain";
                    case NONE -> null;
                }, photo);
            }
            return envelope(0, "SUCCESS", api.call(path, json));
        } catch (SimulatedOpenApi.Refusal refusal) {
            return envelope(refusal.status, refusal.getMessage(), null);
        }
    }

    private Reply envelope(int status, String message, Object data) throws IOException {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("status", status);
        envelope.put("message", message);
        if (data != null) {
            envelope.put("data", data);
        }
        return new Reply(200, "application/json;charset=UTF-8", mapper.writeValueAsBytes(envelope));
    }

    /** docs/sophonsight-openapi.md §1: the token must equal MD5(path + exact body + secret); appkey known; time within ±5 minutes. */
    private int authenticate(String path, byte[] body, JsonNode json, String token) {
        if (token == null || token.isEmpty()) {
            return MISSING_TOKEN;
        }
        if (json == null || !json.isObject()) {
            return BODY_NOT_JSON;
        }
        if (!appkey.equals(json.path("appkey").asText())) {
            return UNKNOWN_APPKEY;
        }
        if (!SophonSightToken.matches(SophonSightToken.compute(path, body, secret), token)) {
            return INVALID_TOKEN;
        }
        JsonNode time = json.get("time");
        if (time == null || !time.canConvertToLong() && !time.asText().matches("\\d+")) {
            return TIME_OUT_OF_WINDOW;
        }
        long millis = time.isNumber() ? time.asLong() : Long.parseLong(time.asText());
        return Math.abs(System.currentTimeMillis() - millis) > TIME_WINDOW_MS ? TIME_OUT_OF_WINDOW : 0;
    }

    private static String authMessage(int status) {
        return switch (status) {
            case MISSING_TOKEN -> "token is missing";
            case INVALID_TOKEN -> "token is invalid";
            case UNKNOWN_APPKEY -> "appkey is unknown";
            case TIME_OUT_OF_WINDOW -> "time is missing or more than 5 minutes from the platform's clock";
            default -> "body is not a JSON object";
        };
    }

    // ------------------------------------------------------------------ admin API
    private void handleAdmin(HttpExchange http) throws IOException {
        try (http) {
            String method = http.getRequestMethod();
            String path = http.getRequestURI().getPath();
            JsonNode body = "POST".equals(method) ? parse(readBody(http)) : null;
            if (body == null) {
                body = mapper.createObjectNode();
            }
            Object answer = switch (method + " " + path) {
                case "GET /simulator/state" -> state.snapshot();
                case "POST /simulator/reset" -> {
                    state.reset();
                    faults.clear();
                    readings.reset();
                    paging.reset();
                    yield Map.of("reset", true);
                }
                case "POST /simulator/devices" -> seedDevices(body);
                case "POST /simulator/records" -> seedRecords(body);
                case "POST /simulator/records/generate" -> Map.of("generated", pusher.generateRecords(
                        body.path("userType").asText("MEMBER"), body.path("count").asInt(1),
                        body.path("startTime").asLong(System.currentTimeMillis() - 3_600_000L),
                        body.path("endTime").asLong(System.currentTimeMillis())));
                case "POST /simulator/faults" -> addFault(body);
                case "GET /simulator/readings" -> readings.snapshot();
                case "POST /simulator/readings" -> readings.apply(body);
                case "DELETE /simulator/readings" -> {
                    readings.reset();
                    yield readings.snapshot();
                }
                case "POST /simulator/settings" -> {
                    if (body.has("refuseUnknownDeletes")) {
                        state.setRefuseUnknownDeletes(body.path("refuseUnknownDeletes").asBoolean());
                    }
                    yield Map.of("refuseUnknownDeletes", state.refusesUnknownDeletes());
                }
                case "DELETE /simulator/faults" -> {
                    faults.clear();
                    yield Map.of("faults", 0);
                }
                case "GET /simulator/paging" -> paging.settings();
                case "POST /simulator/paging" -> setPaging(body);
                case "POST /simulator/push/access" -> pusher.pushAccess(body.path("form").asText("P"),
                        body.path("userType").asText("MEMBER"), body.path("count").asInt(1),
                        body.path("withImages").asBoolean(false), textOrNull(body, "url"));
                case "POST /simulator/push/device-status" -> pusher.pushDeviceStatus(
                        body.path("deviceId").asText("BOX-0001"), body.path("deviceStatus").asInt(0), textOrNull(body, "url"));
                default -> null;
            };
            if (answer == null && "DELETE".equals(method) && path.startsWith("/simulator/devices/")) {
                answer = Map.of("removed", state.removeDevice(path.substring("/simulator/devices/".length())));
            }
            if (answer == null) {
                sendJson(http, 404, Map.of("message", "unknown simulator admin call: " + method + " " + path));
            } else {
                sendJson(http, 200, answer);
            }
        } catch (RuntimeException e) {
            sendJson(http, 400, Map.of("message", String.valueOf(e.getMessage())));
        }
    }

    private Object seedDevices(JsonNode body) {
        JsonNode list = body.isArray() ? body : body.path("devices");
        list.forEach(d -> state.putDevice(new SimulatorState.Device(d.path("locationId").asText(),
                d.path("nodeType").asInt(2), d.path("nodeDesc").asText(""),
                d.path("createTime").asLong(System.currentTimeMillis()))));
        return Map.of("devices", state.devices().size());
    }

    /** {@code {"kind": "employee|stranger|visitor", "records": [{...item fields, "crossTime": ms, "locationId": ...}]}}. */
    @SuppressWarnings("unchecked")
    private Object seedRecords(JsonNode body) {
        String kind = body.path("kind").asText("employee");
        if (!List.of("employee", "stranger", "visitor").contains(kind)) {
            throw new IllegalArgumentException("kind must be employee, stranger or visitor");
        }
        int count = 0;
        for (JsonNode record : body.path("records")) {
            Map<String, Object> fields = mapper.convertValue(record, LinkedHashMap.class);
            Object location = fields.remove("locationId");
            if (location != null) {
                fields.put("_locationId", location);
            }
            state.addRecord(new SimulatorState.AccessRecord(kind, record.path("crossTime").asLong(), fields));
            count++;
        }
        return Map.of("added", count);
    }

    /** {@code {"pageSizeCap": 20, "descending": true, "reorder": true, "insertPerCall": 1, "insertCalls": 10, "omitTotal": true}}; absent = off. */
    private Object setPaging(JsonNode body) {
        paging.set(new SimulatorPaging.Settings(body.path("pageSizeCap").asInt(0), body.path("descending").asBoolean(false),
                body.path("reorder").asBoolean(false), body.path("insertPerCall").asInt(0), body.path("insertCalls").asInt(0),
                body.path("omitTotal").asBoolean(false)));
        return paging.settings();
    }

    private Object addFault(JsonNode body) {
        SimulatorFaults.Mode mode = SimulatorFaults.Mode.valueOf(body.path("mode").asText("HTTP_ERROR").toUpperCase().replace('-', '_'));
        faults.add(new SimulatorFaults.Fault(mode, body.path("pathPrefix").asText(""), body.path("after").asInt(0),
                body.path("times").asInt(-1), body.path("httpStatus").asInt(503), body.path("status").asInt(9999),
                textOrNull(body, "message"), body.path("delayMs").asLong(0), textOrNull(body, "matchField"),
                textOrNull(body, "matchValue")));
        return Map.of("faults", faults.size());
    }

    // ------------------------------------------------------------------ plumbing
    private byte[] readBody(HttpExchange http) throws IOException {
        try (InputStream in = http.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new IllegalArgumentException("body over " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String query(URI uri, String name) {
        String raw = uri.getRawQuery();
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String textOrNull(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }

    private void sendEnvelope(HttpExchange http, int status, String message, Object data) throws IOException {
        Reply reply = envelope(status, message, data);
        sendBytes(http, reply.httpStatus(), reply.contentType(), reply.bytes());
    }

    private void sendJson(HttpExchange http, int httpStatus, Object body) throws IOException {
        sendBytes(http, httpStatus, "application/json;charset=UTF-8", mapper.writeValueAsBytes(body));
    }

    /** {@code contentType} null: the answer has no Content-Type header at all. */
    private static void sendBytes(HttpExchange http, int httpStatus, String contentType, byte[] bytes) throws IOException {
        if (contentType != null) {
            http.getResponseHeaders().set("Content-Type", contentType);
        }
        http.sendResponseHeaders(httpStatus, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
