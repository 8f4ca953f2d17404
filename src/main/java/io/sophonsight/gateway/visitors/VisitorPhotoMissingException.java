package io.sophonsight.gateway.visitors;

/** The photo kept for a pending registration is gone from the photo folder: it can never be uploaded. */
public class VisitorPhotoMissingException extends RuntimeException {

    public VisitorPhotoMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
