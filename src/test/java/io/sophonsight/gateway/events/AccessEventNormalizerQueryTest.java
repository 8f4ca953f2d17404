package io.sophonsight.gateway.events;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sophonsight.gateway.push.PushJson;
import io.sophonsight.gateway.push.PushRejectedException;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Query records (docs/sophonsight-openapi.md §3.5) become the canonical event, with what a push of the same pass is matched by
 * (AccessEventIdentity): our person id and the platform's, the two face ids apart, the record's own id.
 */
class AccessEventNormalizerQueryTest {

    private final AccessEventNormalizer normalizer = new AccessEventNormalizer(new PushJson(32, DataSize.ofMegabytes(16)));

    @Test
    void anEmployeeRecordKeepsBothPersonIdsBothFaceIdsAndItsRecordId() {
        // Given the push (form P) and the query record of one pass
        String push = "{\"userId\":\"E-7\",\"userName\":\"Ann\",\"userType\":\"MEMBER\",\"matchScore\":0.91,"
                + "\"photoId\":\"f1.jpg\",\"crossTime\":1764000000123,\"deviceId\":\"BOX-1\",\"cameraId\":\"CAM-1\"}";
        Map<String, Object> record = new LinkedHashMap<>(Map.of("id", 5, "userId", 77, "thirdUserId", "E-7", "name", "Ann",
                "nodeName", "Gate 1", "crossTime", "1764000000123", "fid", "f1.jpg", "faceFid", "crop-1.jpg",
                "regFid", "reg-7.jpg", "score", 0.91));

        // When both are normalised
        Map<String, Object> fromPush = normalizer.normalize(push.getBytes());
        Map<String, Object> fromQuery = normalizer.fromQuery("employee", record);

        // Then the query event is complete: fid and faceFid are two images, never one for the other
        assertThat(fromQuery).containsEntry("sourceForm", "query").containsEntry("personId", "E-7")
                .containsEntry("platformPersonId", "77").containsEntry("recordId", "5")
                .containsEntry("personType", "employee").containsEntry("passTime", 1764000000123L)
                .containsEntry("cameraName", "Gate 1").containsEntry("photoId", "f1.jpg")
                .containsEntry("userPhotoId", "reg-7.jpg").containsEntry("crossFaceId", "crop-1.jpg")
                .containsEntry("boxId", null).containsEntry("images", Map.of());
        // And the push's userId is one of the ids the record names its person by
        assertThat(AccessEventKeys.personIds(fromQuery)).containsExactly("E-7", "77").contains((String) fromPush.get("personId"));
        assertThat(AccessEventKeys.stripes(fromQuery)).containsAll(AccessEventKeys.stripes(fromPush));
    }

    @Test
    void aStrangerRecordIsRecognisedByItsFaceIdsLikeTheStrangersPush() {
        String push = "{\"userId\":\"\",\"userType\":\"STRANGER\",\"photoId\":\"s9.jpg\",\"crossTime\":1764000000999,"
                + "\"deviceId\":\"BOX-2\",\"cameraId\":\"CAM-2\"}";
        // the stranger example of the docs: fid empty, faceFid set
        Map<String, Object> record = Map.of("fid", "", "nodeName", "CAM-2", "nodeType", 5,
                "crossTime", 1764000000999L, "faceFid", "s9.jpg", "crossFacePhoto", "/9j/4AAQ");
        Map<String, Object> fromQuery = normalizer.fromQuery("stranger", record);
        assertThat(fromQuery).containsEntry("personId", null).containsEntry("personType", "stranger")
                .containsEntry("photoId", null).containsEntry("crossFaceId", "s9.jpg").containsEntry("recordId", null)
                .containsEntry("images", Map.of("face", "/9j/4AAQ"));
        Map<String, Object> fromPush = normalizer.normalize(push.getBytes());
        assertThat(AccessEventKeys.faceIds(fromQuery)).containsAnyElementsOf(AccessEventKeys.faceIds(fromPush));
        assertThat(AccessEventKeys.stripes(fromQuery)).containsAll(AccessEventKeys.stripes(fromPush));
    }

    @Test
    void aVisitorRecordNamesTheVisitor() {
        Map<String, Object> fromQuery = normalizer.fromQuery("visitor", Map.of("id", 3, "visitorId", "V-1",
                "visitorName", "Bob", "crossTime", 1764000000000L, "fid", "v.jpg"));
        assertThat(fromQuery).containsEntry("personId", "V-1").containsEntry("personName", "Bob")
                .containsEntry("personType", "visitor").containsEntry("rawPersonType", "visitor");
    }

    @Test
    void keysEncodeFieldsSoThatNoTwoDifferentTuplesCollide() {
        // Given two strangers' pushes whose box and camera ids, joined with '|', read the same (issue 14)
        Map<String, Object> one = new LinkedHashMap<>(Map.of("sourceForm", "P", "boxId", "a|b", "cameraId", "c",
                "passTime", 1764000000000L));
        Map<String, Object> other = new LinkedHashMap<>(Map.of("sourceForm", "P", "boxId", "a", "cameraId", "b|c",
                "passTime", 1764000000000L));
        // Then their keys differ, and so do a person id holding the separator and a person plus another time
        assertThat(AccessEventStore.dedupeKey(one)).isNotEqualTo(AccessEventStore.dedupeKey(other));
        assertThat(AccessEventKeys.hash("person", "E-1|5", 7L)).isNotEqualTo(AccessEventKeys.hash("person", "E-1", "5|7"));
        assertThat(AccessEventKeys.hash("place", null, "c", 1L)).isNotEqualTo(AccessEventKeys.hash("place", "", "c", 1L));
        // And the same tuple always gives the same key
        assertThat(AccessEventStore.dedupeKey(one)).isEqualTo(AccessEventStore.dedupeKey(new LinkedHashMap<>(one)));
    }

    @Test
    void aRecordWithoutPassTimeOrAnythingToKeyItByIsRefused() {
        assertThatThrownBy(() -> normalizer.fromQuery("employee", Map.of("thirdUserId", "E-1")))
                .isInstanceOf(PushRejectedException.class).hasMessageContaining("crossTime");
        assertThatThrownBy(() -> normalizer.fromQuery("stranger", Map.of("crossTime", 1764000000000L, "nodeName", "CAM")))
                .isInstanceOf(PushRejectedException.class).hasMessageContaining("fid or faceFid");
        assertThatThrownBy(() -> normalizer.fromQuery("employee", Map.of("crossTime", 1764000000000L, "fid", "x.jpg",
                "crossSrcPhoto", "not base64!"))).isInstanceOf(PushRejectedException.class).hasMessageContaining("base64");
    }
}
