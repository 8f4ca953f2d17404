package io.sophonsight.gateway.simulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.sophonsight.SophonSightCredentials;
import io.sophonsight.gateway.sophonsight.SophonSightSigner;
import io.sophonsight.gateway.sophonsight.SophonSightToken;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each rule of the simulated platform accepts the valid call and refuses each violation, over real HTTP.
 * Requests are signed by the gateway's own signer; tampered ones are built by hand.
 */
class SimulatorRulesTest extends GatewayTestSupport {

    private static final String ADD_DEPT = "/openapi/v1/syncdept/addOrEdit";
    private static final String DELETE_DEPT = "/openapi/v1/syncdept/delete";
    private static final String ADD_USER = "/openapi/v1/syncuser/addOrEdit";
    private static final String DELETE_USER = "/openapi/v1/syncuser/delete";
    private static final String UPLOAD = "/openapi/v1/pic/upload";
    private static final String DOWNLOAD = "/openapi/v1/pic/download";
    private static final String VISITOR = "/openapi/v1/visitor/add";
    private static final byte[] JPEG = Base64.getDecoder().decode("/9j/4AAQSkZJRgABAQAAAQABAAD/2Q==");

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    private SophonSightSigner signer;
    @Autowired
    private SophonSightCredentials credentials;
    @Autowired
    private ObjectMapper mapper;

    // ------------------------------------------------------------------ authentication
    @Test
    void correctlySignedCallIsAccepted() throws Exception {
        assertThat(status(signed(ADD_DEPT, dept("D1", "")))).isZero();
    }

    @Test
    void missingTokenIsRefused() throws Exception {
        SophonSightSigner.SignedRequest request = signer.sign(ADD_DEPT, dept("D1", ""));
        assertThat(status(post(ADD_DEPT, null, request.body()))).isEqualTo(SophonSightSimulator.MISSING_TOKEN);
        assertThat(simulator.state().org("D1")).isNull();
    }

    @Test
    void wrongTokenIsRefused() throws Exception {
        SophonSightSigner.SignedRequest request = signer.sign(ADD_DEPT, dept("D1", ""));
        String wrong = SophonSightToken.compute(ADD_DEPT, request.body(), "not-the-secret");
        assertThat(status(post(ADD_DEPT, wrong, request.body()))).isEqualTo(SophonSightSimulator.INVALID_TOKEN);
    }

    @Test
    void bodyChangedAfterSigningIsRefused() throws Exception {
        SophonSightSigner.SignedRequest request = signer.sign(ADD_DEPT, dept("D1", ""));
        byte[] tampered = new String(request.body(), StandardCharsets.UTF_8).replace("D1", "D2").getBytes(StandardCharsets.UTF_8);
        assertThat(status(post(ADD_DEPT, request.token(), tampered))).isEqualTo(SophonSightSimulator.INVALID_TOKEN);
    }

    @Test
    void wrongAppkeyIsRefused() throws Exception {
        byte[] body = ("{\"appkey\":\"someone-else\",\"time\":" + System.currentTimeMillis() + ",\"name\":\"X\",\"thirdId\":\"D1\"}")
                .getBytes(StandardCharsets.UTF_8);
        String token = SophonSightToken.compute(ADD_DEPT, body, credentials.secret());
        assertThat(status(post(ADD_DEPT, token, body))).isEqualTo(SophonSightSimulator.UNKNOWN_APPKEY);
    }

    @Test
    void timeOutsideFiveMinutesIsRefusedInsideIsAccepted() throws Exception {
        long sixMinutesAgo = System.currentTimeMillis() - 6 * 60_000;
        long fourMinutesAgo = System.currentTimeMillis() - 4 * 60_000;
        assertThat(status(handSigned(ADD_DEPT, sixMinutesAgo, "\"name\":\"X\",\"thirdId\":\"D1\"")))
                .isEqualTo(SophonSightSimulator.TIME_OUT_OF_WINDOW);
        assertThat(status(handSigned(ADD_DEPT, System.currentTimeMillis() + 6 * 60_000, "\"name\":\"X\",\"thirdId\":\"D1\"")))
                .isEqualTo(SophonSightSimulator.TIME_OUT_OF_WINDOW);
        assertThat(status(handSigned(ADD_DEPT, fourMinutesAgo, "\"name\":\"X\",\"thirdId\":\"D1\""))).isZero();
    }

    @Test
    void unknownPathIs404() throws Exception {
        SophonSightSigner.SignedRequest request = signer.sign("/openapi/v1/nothing/here", Map.of());
        assertThat(post("/openapi/v1/nothing/here", request.token(), request.body()).statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ organisations
    @Test
    void thirdIdsUpToHundredCharactersAreAcceptedLongerRefused() throws Exception {
        String hundred = "x".repeat(100);
        assertThat(status(signed(ADD_DEPT, dept(hundred, "")))).isZero();
        assertThat(status(signed(ADD_DEPT, dept(hundred + "y", "")))).isEqualTo(SimulatedOpenApi.FIELD_TOO_LONG);
        assertThat(status(signed(ADD_DEPT, dept("child", hundred + "y")))).isEqualTo(SimulatedOpenApi.FIELD_TOO_LONG);
        assertThat(status(signed(ADD_DEPT, dept("child", hundred)))).isZero();
    }

    @Test
    void childNeedsItsParentFirst() throws Exception {
        assertThat(status(signed(ADD_DEPT, dept("CHILD", "PARENT")))).isEqualTo(SimulatedOpenApi.PARENT_NOT_FOUND);
        assertThat(status(signed(ADD_DEPT, dept("PARENT", "")))).isZero();
        assertThat(status(signed(ADD_DEPT, dept("CHILD", "PARENT")))).isZero();
        assertThat(simulator.state().org("CHILD").thirdParentId()).isEqualTo("PARENT");
    }

    @Test
    void requiredFieldsAreEnforced() throws Exception {
        assertThat(status(signed(ADD_DEPT, Map.of("thirdId", "D1")))).isEqualTo(SimulatedOpenApi.MISSING_FIELD);
        assertThat(status(signed(ADD_DEPT, Map.of("name", "No id")))).isEqualTo(SimulatedOpenApi.MISSING_FIELD);
    }

    @Test
    void deleteListsHoldOneToFiftyIds() throws Exception {
        for (int i = 0; i < 50; i++) {
            signed(ADD_DEPT, dept("D" + i, ""));
        }
        assertThat(status(signed(DELETE_DEPT, Map.of("thirdIds", List.of())))).isEqualTo(SimulatedOpenApi.DELETE_LIST_SIZE);
        assertThat(status(signed(DELETE_DEPT, Map.of("thirdIds", ids("D", 51))))).isEqualTo(SimulatedOpenApi.DELETE_LIST_SIZE);
        assertThat(simulator.state().orgs()).hasSize(50);
        assertThat(status(signed(DELETE_DEPT, Map.of("thirdIds", ids("D", 50))))).isZero();
        assertThat(simulator.state().orgs()).isEmpty();
        assertThat(status(signed(DELETE_USER, Map.of("thirdIds", ids("E", 51))))).isEqualTo(SimulatedOpenApi.DELETE_LIST_SIZE);
    }

    @Test
    void orgWithPeopleCannotBeDeletedUntilTheyAreMovedOut() throws Exception {
        signed(ADD_DEPT, dept("D1", ""));
        signed(ADD_DEPT, dept("D2", ""));
        signed(ADD_USER, person("E1", "D1", ""));
        assertThat(status(signed(DELETE_DEPT, Map.of("thirdIds", List.of("D1"))))).isEqualTo(SimulatedOpenApi.ORG_NOT_EMPTY);
        signed(ADD_USER, person("E1", "D2", ""));
        assertThat(status(signed(DELETE_DEPT, Map.of("thirdIds", List.of("D1"))))).isZero();
    }

    // ------------------------------------------------------------------ people and photos
    @Test
    void personNeedsAnExistingDepartment() throws Exception {
        assertThat(status(signed(ADD_USER, person("E1", "NO-DEPT", "")))).isEqualTo(SimulatedOpenApi.DEPARTMENT_NOT_FOUND);
        signed(ADD_DEPT, dept("D1", ""));
        JsonNode answer = signed(ADD_USER, person("E1", "D1", ""));
        assertThat(status(answer)).isZero();
        assertThat(answer.path("data").path("thirdid").asText()).isEqualTo("E1");
    }

    @Test
    void facePictureMustBeAnUploadedPhotoAndEmptyOnEditRemovesIt() throws Exception {
        signed(ADD_DEPT, dept("D1", ""));
        assertThat(status(signed(ADD_USER, person("E1", "D1", "never-uploaded.jpg")))).isEqualTo(SimulatedOpenApi.PHOTO_NOT_FOUND);

        String photoId = upload();
        assertThat(status(signed(ADD_USER, person("E1", "D1", photoId)))).isZero();
        assertThat(simulator.state().person("E1").facePicture()).isEqualTo(photoId);

        // an edit without the photoId drops the face, as the platform does
        assertThat(status(signed(ADD_USER, person("E1", "D1", "")))).isZero();
        assertThat(simulator.state().person("E1").facePicture()).isNull();
    }

    @Test
    void uploadNeedsNameAndBase64() throws Exception {
        assertThat(status(signed(UPLOAD, Map.of("photoName", "a.jpg", "photoByteStr", "***not base64***"))))
                .isEqualTo(SimulatedOpenApi.INVALID_VALUE);
        assertThat(status(signed(UPLOAD, Map.of("photoByteStr", Base64.getEncoder().encodeToString(JPEG)))))
                .isEqualTo(SimulatedOpenApi.MISSING_FIELD);
    }

    @Test
    void downloadStreamsTheUploadedBytesAndRefusesUnknownPhotos() throws Exception {
        String photoId = upload();
        SophonSightSigner.SignedRequest request = signer.sign(DOWNLOAD, Map.of("photoId", photoId));
        HttpResponse<byte[]> response = post(DOWNLOAD, request.token(), request.body());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(response.body()).isEqualTo(JPEG);
        assertThat(status(signed(DOWNLOAD, Map.of("photoId", "unknown.jpg")))).isEqualTo(SimulatedOpenApi.PHOTO_NOT_FOUND);
    }

    // ------------------------------------------------------------------ visitors
    @Test
    void visitorNeedsAnUploadedPhotoAndAuditDefaultsToTrue() throws Exception {
        long start = System.currentTimeMillis() + 3_600_000;
        Map<String, Object> visitor = new LinkedHashMap<>();
        visitor.put("name", "李四");
        visitor.put("startTime", start);
        visitor.put("endTime", start + 7_200_000);
        visitor.put("photoId", "missing.jpg");
        assertThat(status(signed(VISITOR, visitor))).isEqualTo(SimulatedOpenApi.PHOTO_NOT_FOUND);

        visitor.put("photoId", upload());
        assertThat(status(signed(VISITOR, visitor))).isZero();
        visitor.put("isNeedAudit", false);
        visitor.put("startTime", String.valueOf(start)); // the platform's example sends strings: accepted
        assertThat(status(signed(VISITOR, visitor))).isZero();

        assertThat(simulator.state().visitors()).extracting(SimulatorState.Visitor::needsAudit).containsExactly(true, false);
        assertThat(simulator.state().visitors()).extracting(SimulatorState.Visitor::auditStatus)
                .containsExactly("PENDING_AUDIT", "APPROVED");
    }

    // ------------------------------------------------------------------ lost answers
    @Test
    void applyThenDropAddsTheVisitorButClosesTheConnectionWithoutAnAnswer() throws Exception {
        // Given a visitor with an uploaded photo, and a fault that loses the next visitor/add answer
        Map<String, Object> visitor = visitor(upload());
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.APPLY_THEN_DROP, VISITOR, 0, 1, 0, 0,
                null, 0, null, null));
        long lostBefore = simulator.faults().injected(SimulatorFaults.Mode.APPLY_THEN_DROP);
        SophonSightSigner.SignedRequest request = signer.sign(VISITOR, visitor);

        // When the visitor is added, Then the caller gets no answer at all
        assertThatThrownBy(() -> post(VISITOR, request.token(), request.body())).isInstanceOf(IOException.class);

        // And yet the platform holds the visitor: the call was applied before the answer was lost
        assertThat(simulator.state().visitors()).extracting(SimulatorState.Visitor::name).containsExactly("王五");
        assertThat(simulator.faults().injected(SimulatorFaults.Mode.APPLY_THEN_DROP) - lostBefore).isEqualTo(1);

        // And a refused call loses its answer the same way, without being applied
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.APPLY_THEN_DROP, ADD_USER, 0, 1, 0, 0,
                null, 0, null, null));
        SophonSightSigner.SignedRequest refused = signer.sign(ADD_USER, person("E1", "NO-DEPT", ""));
        assertThatThrownBy(() -> post(ADD_USER, refused.token(), refused.body())).isInstanceOf(IOException.class);
        assertThat(simulator.state().person("E1")).isNull();

        // And the fault was used up: the next call is answered as usual
        assertThat(status(signed(VISITOR, visitor))).isZero();
        assertThat(simulator.state().visitors()).hasSize(2);
    }

    @Test
    void applyThenLateAddsThePersonAndAnswersOnlyAfterTheCallerGaveUp() throws Exception {
        // Given a department, and a fault that answers the next person addOrEdit 2 s late
        signed(ADD_DEPT, dept("D1", ""));
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.APPLY_THEN_LATE, ADD_USER, 0, 1, 0, 0,
                null, 2_000, null, null));
        SophonSightSigner.SignedRequest request = signer.sign(ADD_USER, person("E1", "D1", ""));

        // When a caller waits at most 500 ms for the answer, Then it times out
        HttpRequest call = HttpRequest.newBuilder(URI.create(simulatorUrl(ADD_USER) + "?token=" + request.token()))
                .timeout(Duration.ofMillis(500)).header("Content-Type", "application/json;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body())).build();
        assertThatThrownBy(() -> http.send(call, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        // And the platform already holds the person
        assertThat(simulator.state().person("E1")).isNotNull();

        // And a caller that waits long enough gets the (late) answer of an applied call
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.APPLY_THEN_LATE, ADD_USER, 0, 1, 0, 0,
                null, 300, null, null));
        long started = System.nanoTime();
        JsonNode late = signed(ADD_USER, person("E2", "D1", ""));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(status(late)).isZero();
        assertThat(late.path("data").path("thirdid").asText()).isEqualTo("E2");

        // And without a delay of its own, the late answer comes after the gateway's default response timeout (30 s)
        assertThat(new SimulatorFaults.Fault(SimulatorFaults.Mode.APPLY_THEN_LATE, "", 0, 1, 0, 0, null, 0, null, null)
                .delayMs()).isGreaterThan(30_000);
    }

    @Test
    void aStrictPlatformRefusesDeletesOfIdsItDoesNotHold() throws Exception {
        // Given two people, and a platform that refuses deletes of unknown ids
        signed(ADD_DEPT, dept("D1", ""));
        signed(ADD_USER, person("E1", "D1", ""));
        signed(ADD_USER, person("E2", "D1", ""));
        simulator.state().setRefuseUnknownDeletes(true);

        // When a delete names one person it holds and one it does not, Then the whole call is refused
        JsonNode refused = signed(DELETE_USER, Map.of("thirdIds", List.of("E1", "GONE")));
        assertThat(status(refused)).isEqualTo(SimulatedOpenApi.NOT_FOUND);
        assertThat(refused.path("message").asText()).contains("GONE");
        assertThat(simulator.state().people()).hasSize(2);

        // And deletes of held ids go through; unknown organisations are refused the same way
        assertThat(status(signed(DELETE_USER, Map.of("thirdIds", List.of("E1", "E2"))))).isZero();
        assertThat(status(signed(DELETE_DEPT, Map.of("thirdIds", List.of("D1", "D-GONE"))))).isEqualTo(SimulatedOpenApi.NOT_FOUND);
        assertThat(simulator.state().org("D1")).isNotNull();

        // And a reset brings back the default: deleting an unknown id succeeds
        simulator.state().reset();
        assertThat(simulator.state().refusesUnknownDeletes()).isFalse();
        assertThat(status(signed(DELETE_USER, Map.of("thirdIds", List.of("GONE"))))).isZero();
    }

    // ------------------------------------------------------------------ queries
    @Test
    void deviceSearchPagesWithDefaultsAndFilters() throws Exception {
        IntStream.rangeClosed(1, 25).forEach(i -> simulator.state().putDevice(
                new SimulatorState.Device("BOX-" + i, i % 2 == 0 ? 2 : 1, "Gate " + i, 1_700_000_000_000L + i)));

        JsonNode first = signed("/openapi/v1/cross/search", Map.of());
        assertThat(first.path("data").path("totalSize").asInt()).isEqualTo(25);
        assertThat(first.path("data").path("corssNodeOwnerships")).hasSize(20);
        JsonNode second = signed("/openapi/v1/cross/search", Map.of("index", 2));
        assertThat(second.path("data").path("corssNodeOwnerships")).hasSize(5);
        JsonNode gates = signed("/openapi/v1/cross/search", Map.of("nodeType", "2", "pageSize", 100));
        assertThat(gates.path("data").path("corssNodeOwnerships")).hasSize(12);
    }

    @Test
    void recordQueriesPageByTimeWindowAndReturnImagesOnlyWhenAsked() throws Exception {
        simulator.pusher().generateRecords("MEMBER", 45, 1_000_000L, 2_000_000L);
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("startTime", 1_000_000L);
        query.put("endTime", 2_000_000L);
        JsonNode page1 = signed("/openapi/v1/cross/record/employee/getList", query);
        assertThat(page1.path("data").path("totalCount").asInt()).isEqualTo(45);
        assertThat(page1.path("data").path("employees")).hasSize(20);
        assertThat(page1.path("data").path("employees").get(0).has("crossSrcPhoto")).isFalse();

        query.put("index", 3);
        query.put("hascrossSrcPhoto", true);
        JsonNode page3 = signed("/openapi/v1/cross/record/employee/getList", query);
        assertThat(page3.path("data").path("employees")).hasSize(5);
        assertThat(page3.path("data").path("employees").get(0).path("crossSrcPhoto").asText()).isNotEmpty();

        query.put("index", 1);
        query.put("endTime", 1_100_000L);
        assertThat(signed("/openapi/v1/cross/record/employee/getList", query).path("data").path("totalCount").asInt())
                .isBetween(4, 6);
    }

    // ------------------------------------------------------------------ pushes
    @Test
    void pushesBothAccessFormsAndDeviceStatusToAGivenUrl() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(mapper.readTree(exchange.getRequestBody().readAllBytes()));
            byte[] ok = "{\"status\":0,\"message\":\"SUCCESS\"}".getBytes();
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/push";
            List<SimulatorPusher.PushResult> results = new ArrayList<>();
            results.addAll(simulator.pusher().pushAccess("P", "BLACKLIST", 1, true, url));
            results.addAll(simulator.pusher().pushAccess("B", "STRANGER", 1, false, url));
            results.add(simulator.pusher().pushDeviceStatus("BOX-9", 1, url));

            assertThat(results).extracting(SimulatorPusher.PushResult::httpStatus).containsOnly(200);
            assertThat(received).hasSize(3);
            assertThat(received.get(0).path("userType").asText()).isEqualTo("BLACKLIST");
            assertThat(received.get(0).path("crossSrcPhoto").asText()).isNotEmpty();
            assertThat(received.get(1).path("ext_data").path("person_type").asInt()).isEqualTo(4);
            assertThat(received.get(2).path("deviceStatus").asInt()).isEqualTo(1);
            assertThat(received.get(2).path("cameraInfo")).hasSize(2);
            // the platform keeps what it pushed, so the query API can return it later
            assertThat(simulator.state().records("employee")).hasSize(1);
            assertThat(simulator.state().records("stranger")).hasSize(1);
        } finally {
            receiver.stop(0);
        }
    }

    // ------------------------------------------------------------------ helpers
    private static Map<String, Object> dept(String thirdId, String parent) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", "Dept " + thirdId);
        fields.put("thirdId", thirdId);
        fields.put("thirdParentId", parent);
        return fields;
    }

    private static Map<String, Object> person(String thirdId, String dept, String photoId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", "Person " + thirdId);
        fields.put("thirdId", thirdId);
        fields.put("thirdDeptId", dept);
        fields.put("facePicture", photoId);
        return fields;
    }

    private static Map<String, Object> visitor(String photoId) {
        long start = System.currentTimeMillis() + 3_600_000;
        Map<String, Object> visitor = new LinkedHashMap<>();
        visitor.put("name", "王五");
        visitor.put("startTime", start);
        visitor.put("endTime", start + 7_200_000);
        visitor.put("photoId", photoId);
        return visitor;
    }

    private static List<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    private String upload() throws Exception {
        JsonNode answer = signed(UPLOAD, Map.of("photoName", "face.jpg", "photoByteStr", Base64.getEncoder().encodeToString(JPEG)));
        assertThat(status(answer)).isZero();
        return answer.path("data").path("photoId").asText();
    }

    private JsonNode signed(String path, Map<String, ?> fields) throws Exception {
        SophonSightSigner.SignedRequest request = signer.sign(path, fields);
        return mapper.readTree(post(path, request.token(), request.body()).body());
    }

    private JsonNode handSigned(String path, long time, String businessJson) throws Exception {
        byte[] body = ("{\"appkey\":\"" + credentials.appkey() + "\",\"time\":" + time + "," + businessJson + "}")
                .getBytes(StandardCharsets.UTF_8);
        return mapper.readTree(post(path, SophonSightToken.compute(path, body, credentials.secret()), body).body());
    }

    private HttpResponse<byte[]> post(String path, String token, byte[] body) throws IOException, InterruptedException {
        String url = simulatorUrl(path) + (token == null ? "" : "?token=" + token);
        return http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static int status(JsonNode envelope) {
        return envelope.path("status").asInt(-1);
    }

    private int status(HttpResponse<byte[]> response) throws IOException {
        return mapper.readTree(response.body()).path("status").asInt(-1);
    }
}
