package io.sophonsight.gateway.visitors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The visitor's photo upload goes through {@code direct:sophonsight-photo-upload}; an answer without a photoId adds no visitor. */
class VisitorPhotoUploadTest extends VisitorTestSupport {

    @Test
    void anUploadAnsweredWithoutAPhotoIdLeavesTheRegistrationPendingAndAddsNoVisitor() {
        // Given a platform that keeps uploads but answers status 0 without a photoId
        simulator.readings().uploadWithoutPhotoId(true);

        // When a valid visitor is posted
        Answer answer = postJson(visitor("Faceless Answer", image("jpg", 31)));

        // Then the gateway accepts it as PENDING with the reason and a next attempt, and visitor/add was never called
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body()).containsEntry("status", "PENDING");
        assertThat((String) answer.body().get("statusReason")).contains("without a photoId");
        assertThat(answer.body().get("nextAttemptAt")).isNotNull();
        assertThat(simulator.state().calls(UPLOAD)).isEqualTo(1);
        assertThat(simulator.state().calls(VISITOR_ADD)).isZero();
        assertThat(simulator.state().visitors()).isEmpty();
    }

    @Test
    void theVisitorIsAddedWithThePhotoIdTheUploadReturned() {
        // Given a working platform and a JPEG photo
        byte[] photo = image("jpg", 32);

        // When a valid visitor is posted
        Answer answer = postJson(visitor("Shared Upload", photo));

        // Then the platform holds the photo under a .jpg name and the visitor references exactly that id
        assertThat(answer.status()).isEqualTo(201);
        assertThat(simulator.state().visitors()).hasSize(1);
        String photoId = simulator.state().visitors().get(0).photoId();
        assertThat(photoId).endsWith(".jpg");
        assertThat(simulator.state().photo(photoId)).isEqualTo(photo);
    }
}
