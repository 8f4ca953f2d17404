package io.sophonsight.gateway.hr;

import java.util.Set;
import java.util.stream.Collectors;

import io.sophonsight.gateway.simulator.SimulatorState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** HR's photo upload goes through {@code direct:sophonsight-photo-upload}, and a success answer without a photoId stops the run. */
class HrPhotoUploadTest extends HrSyncTestSupport {

    @Test
    void anUploadAnsweredWithoutAPhotoIdAbortsTheRunAndNoPersonWithAPhotoIsCreatedFaceless() {
        // Given a platform that keeps uploads but answers status 0 without a photoId
        simulator.readings().uploadWithoutPhotoId(true);

        // When a full sync runs
        HrSyncRun run = run("FULL");

        // Then the run stops like during an outage, saying why
        assertThat(run.getStatus()).isEqualTo("ABORTED");
        assertThat(run.getMessage()).contains("/openapi/v1/pic/upload").contains("without a photoId");
        assertThat(calls(UPLOAD)).isPositive();
        // and nobody whose HR row has a photo is on the platform without a face
        Set<String> withPhoto = hr.queryForList("SELECT id FROM employee WHERE photo IS NOT NULL", String.class)
                .stream().collect(Collectors.toSet());
        assertThat(simulator.state().people()).filteredOn(p -> withPhoto.contains(p.thirdId()))
                .extracting(SimulatorState.Person::facePicture).allMatch(face -> face != null && !face.isEmpty());

        // When the platform answers uploads properly again and the next run goes
        simulator.readings().uploadWithoutPhotoId(false);
        HrSyncRun next = run("FULL");

        // Then it completes and the platform equals HR, every face included
        assertThat(next.getStatus()).isEqualTo("COMPLETED");
        assertThat(next.getFailed()).isZero();
        assertPlatformEqualsHr();
    }
}
