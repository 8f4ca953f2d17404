package io.sophonsight.gateway.photos;

/** A photoId that does not pass the allow-list: answered 400, never used for a call or a file. */
public class InvalidPhotoIdException extends RuntimeException {

    public InvalidPhotoIdException(String message) {
        super(message);
    }
}
