package io.sophonsight.gateway.events;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sophonsight.gateway.push.PushJson;
import io.sophonsight.gateway.push.PushRejectedException;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Query records (spec §3.5) become the canonical event, with the dedupe key of the push of the same pass. */
class AccessEventNormalizerQueryTest {

    private final AccessEventNormalizer normalizer = new AccessEventNormalizer(new PushJson(32, DataSize.ofMegabytes(16)));

    @Test
    void anEmployeeRecordGetsTheKeyOfThePushOfTheSamePass() {
        // Given the push (form P) and the query record of one pass
        String push = "{\"userId\":\"E-7\",\"userName\":\"Ann\",\"userType\":\"MEMBER\",\"matchScore\":0.91,"
                + "\"photoId\":\"f1.jpg\",\"crossTime\":1764000000123,\"deviceId\":\"BOX-1\",\"cameraId\":\"CAM-1\"}";
        Map<String, Object> record = new LinkedHashMap<>(Map.of("id", 5, "userId", 77, "thirdUserId", "E-7", "name", "Ann",
                "nodeName", "Gate 1", "crossTime", "1764000000123", "fid", "f1.jpg", "faceFid", "f1.jpg",
                "regFid", "reg-7.jpg", "score", 0.91));

        // When both are normalised
        Map<String, Object> fromPush = normalizer.normalize(push.getBytes());
        Map<String, Object> fromQuery = normalizer.fromQuery("employee", record);

        // Then the query event is complete and both have the same dedupe key
        assertThat(fromQuery).containsEntry("sourceForm", "query").containsEntry("personId", "E-7")
                .containsEntry("personType", "employee").containsEntry("passTime", 1764000000123L)
                .containsEntry("cameraName", "Gate 1").containsEntry("photoId", "f1.jpg")
                .containsEntry("userPhotoId", "reg-7.jpg").containsEntry("crossFaceId", "f1.jpg")
                .containsEntry("boxId", null).containsEntry("images", Map.of());
        assertThat(AccessEventStore.dedupeKey(fromQuery)).isEqualTo(AccessEventStore.dedupeKey(fromPush));
    }

    @Test
    void aStrangerRecordIsKeyedByItsFaceIdLikeTheStrangersPush() {
        String push = "{\"userId\":\"\",\"userType\":\"STRANGER\",\"photoId\":\"s9.jpg\",\"crossTime\":1764000000999,"
                + "\"deviceId\":\"BOX-2\",\"cameraId\":\"CAM-2\"}";
        Map<String, Object> record = Map.of("fid", "s9.jpg", "nodeName", "CAM-2", "nodeType", 5,
                "crossTime", 1764000000999L, "faceFid", "s9.jpg", "crossFacePhoto", "/9j/4AAQ");
        Map<String, Object> fromQuery = normalizer.fromQuery("stranger", record);
        assertThat(fromQuery).containsEntry("personId", null).containsEntry("personType", "stranger")
                .containsEntry("images", Map.of("face", "/9j/4AAQ"));
        assertThat(AccessEventStore.dedupeKey(fromQuery)).isEqualTo(AccessEventStore.dedupeKey(normalizer.normalize(push.getBytes())));
    }

    @Test
    void aVisitorRecordNamesTheVisitor() {
        Map<String, Object> fromQuery = normalizer.fromQuery("visitor", Map.of("id", 3, "visitorId", "V-1",
                "visitorName", "Bob", "crossTime", 1764000000000L, "fid", "v.jpg"));
        assertThat(fromQuery).containsEntry("personId", "V-1").containsEntry("personName", "Bob")
                .containsEntry("personType", "visitor").containsEntry("rawPersonType", "visitor");
    }

    @Test
    void aRecordWithoutPassTimeOrAnythingToKeyItByIsRefused() {
        assertThatThrownBy(() -> normalizer.fromQuery("employee", Map.of("thirdUserId", "E-1")))
                .isInstanceOf(PushRejectedException.class).hasMessageContaining("crossTime");
        assertThatThrownBy(() -> normalizer.fromQuery("stranger", Map.of("crossTime", 1764000000000L, "nodeName", "CAM")))
                .isInstanceOf(PushRejectedException.class).hasMessageContaining("fid/faceFid");
        assertThatThrownBy(() -> normalizer.fromQuery("employee", Map.of("crossTime", 1764000000000L, "fid", "x.jpg",
                "crossSrcPhoto", "not base64!"))).isInstanceOf(PushRejectedException.class).hasMessageContaining("base64");
    }
}
