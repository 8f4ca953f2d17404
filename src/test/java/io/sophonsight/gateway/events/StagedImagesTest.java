package io.sophonsight.gateway.events;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The images of a push are checked and staged without extra copies: the base64 check scans instead of
 * decoding, and the staged JSON is joined instead of written by a JSON writer. Both must give exactly what
 * the JDK decoder and Jackson give.
 */
class StagedImagesTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void base64CheckAcceptsExactlyWhatTheJdkDecoderDecodes() {
        // Given many short strings over the base64 alphabet, padding and a few strangers
        Random random = new Random(7);
        String alphabet = "ABCZabcz0189+/=====-_ %";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(10); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            // When both judge it; Then they agree
            assertThat(AccessEventNormalizer.isBase64(text.toString())).as(text.toString()).isEqualTo(jdkDecodes(text.toString()));
        }
        // And real encodings of every length are accepted, with and without padding
        for (int size = 1; size < 40; size++) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            assertThat(AccessEventNormalizer.isBase64(Base64.getEncoder().encodeToString(bytes))).isTrue();
            assertThat(AccessEventNormalizer.isBase64(Base64.getEncoder().withoutPadding().encodeToString(bytes))).isTrue();
        }
    }

    @Test
    void stagedImagesJsonIsWhatJacksonWrites() throws Exception {
        // Given the images of an event
        AccessEventStore store = new AccessEventStore(mapper);
        Map<String, Object> images = new LinkedHashMap<>();
        images.put(AccessEvent.IMAGE_ENROLLED, "/9j/4AAQSkZJRg==");
        images.put(AccessEvent.IMAGE_SCENE, "iVBORw0KGgo=");
        images.put(AccessEvent.IMAGE_FACE, "AAAA");
        // When staged; Then the text is Jackson's, byte for byte
        assertThat(store.imagesJson(images)).isEqualTo(mapper.writeValueAsString(images));
        // And anything that is not plain base64 under a plain slot name is written by Jackson (escaped)
        Map<String, Object> odd = Map.of("face", "a\"b");
        assertThat(store.imagesJson(odd)).isEqualTo(mapper.writeValueAsString(odd));
    }

    @Test
    void storedEventGoesOnWithoutItsImagesWhichTheRowHolds() throws Exception {
        // Given a canonical event with an image
        Map<String, Object> event = new LinkedHashMap<>();
        event.put(AccessEvent.PERSON_ID, "E-1");
        event.put(AccessEvent.PERSON_TYPE, AccessEvent.EMPLOYEE);
        event.put(AccessEvent.PASS_TIME, 1_764_320_400_000L);
        event.put(AccessEvent.IMAGES, new LinkedHashMap<>(Map.of(AccessEvent.IMAGE_FACE, "AAAA")));
        // When its row is made
        Map<String, Object> row = new AccessEventStore(mapper).row(event);
        // Then the row stages the image and the event no longer carries it (one copy per push, not two)
        assertThat(row).containsEntry("imagesJson", "{\"face\":\"AAAA\"}").containsEntry(AccessEventStore.HAS_IMAGES, true);
        assertThat(event).doesNotContainKey(AccessEvent.IMAGES).containsKey(AccessEvent.DEDUPE_KEY);
    }

    private static boolean jdkDecodes(String text) {
        try {
            Base64.getDecoder().decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
