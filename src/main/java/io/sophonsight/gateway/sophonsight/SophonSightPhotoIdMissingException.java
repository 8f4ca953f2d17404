package io.sophonsight.gateway.sophonsight;

/**
 * pic/upload answered status 0 but without a {@code photoId} (docs/sophonsight-openapi.md §2 lets {@code data} be
 * absent; §3.2 promises a photoId for an upload). Nothing can reference the photo, so no person or visitor is
 * created with it: the answer is unusable like one that is not the envelope, a kind of unavailable, and each
 * caller retries later the way it retries an unreachable platform. Thrown by route {@code sophonsight-photo-upload}.
 */
public class SophonSightPhotoIdMissingException extends SophonSightUnavailableException {

    public static final String PATH = "/openapi/v1/pic/upload";

    /** {@code reason}: what the answer held instead (the route's {@code throwException} message). */
    public SophonSightPhotoIdMissingException(String reason) {
        super(PATH, 200, reason, null);
    }
}
