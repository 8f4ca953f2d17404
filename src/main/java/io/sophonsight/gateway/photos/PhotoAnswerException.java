package io.sophonsight.gateway.photos;

/** The platform accepted the download but its answer holds no usable image: answered 502, nothing cached. */
public class PhotoAnswerException extends RuntimeException {

    public PhotoAnswerException(String message) {
        super(message);
    }
}
