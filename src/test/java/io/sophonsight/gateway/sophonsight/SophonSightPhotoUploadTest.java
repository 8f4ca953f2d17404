package io.sophonsight.gateway.sophonsight;

import io.sophonsight.gateway.GatewayTestSupport;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one photo upload, {@code direct:sophonsight-photo-upload}, against the built-in simulator over real HTTP. */
class SophonSightPhotoUploadTest extends GatewayTestSupport {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};

    private String upload(String name, byte[] photo) {
        return producer.requestBodyAndHeader("direct:sophonsight-photo-upload", photo, "SophonSightPhotoName", name, String.class);
    }

    @Test
    void anUploadReturnsThePhotoIdUnderWhichThePlatformKeepsTheBytes() {
        // Given a PNG photo named for person E0001
        // When it is uploaded
        String photoId = upload("E0001", PNG);

        // Then the body is the platform's photoId, the platform holds exactly these bytes, named by their type
        assertThat(photoId).isNotBlank().endsWith(".png");
        assertThat(simulator.state().photo(photoId)).isEqualTo(PNG);
        assertThat(simulator.state().calls(SophonSightPhotoIdMissingException.PATH)).isEqualTo(1);
    }

    @Test
    void aSuccessAnswerWithoutAPhotoIdIsAnUnavailableFailureNotAnEmptyPhotoId() {
        // Given a platform that keeps uploads but answers status 0 without data (docs §2 lets data be absent)
        simulator.readings().uploadWithoutPhotoId(true);

        // When a photo is uploaded
        // Then the caller gets the typed failure (a kind of unavailable, so callers retry later), never a null photoId
        assertThatThrownBy(() -> upload("visitor-7", PNG))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(SophonSightPhotoIdMissingException.class)
                .isInstanceOf(SophonSightUnavailableException.class)
                .hasMessageContaining("/openapi/v1/pic/upload").hasMessageContaining("without a photoId")
                .hasMessageContaining("visitor-7");
        // and it was sent once: the call step's own retries are for unreachable platforms, not for this answer
        assertThat(simulator.state().calls(SophonSightPhotoIdMissingException.PATH)).isEqualTo(1);
    }

    @Test
    void bytesThatAreNoFacePhotoAreNeverSent() {
        // Given text where a photo should be
        // When it is handed to the upload
        // Then it fails before any call
        assertThatThrownBy(() -> upload("E0002", "not an image".getBytes()))
                .isInstanceOf(CamelExecutionException.class)
                .rootCause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JPEG or PNG");
        assertThat(simulator.state().calls(SophonSightPhotoIdMissingException.PATH)).isZero();
    }
}
