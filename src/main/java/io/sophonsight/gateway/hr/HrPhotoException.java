package io.sophonsight.gateway.hr;

/**
 * An HR photo that must not be uploaded (outside the photo folder, too large, not a JPEG/PNG, unreadable): the
 * person is rejected locally with this reason, never sent.
 */
public class HrPhotoException extends Exception {

    public HrPhotoException(String reason) {
        super(reason);
    }
}
