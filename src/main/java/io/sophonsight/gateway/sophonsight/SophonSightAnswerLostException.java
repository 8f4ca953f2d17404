package io.sophonsight.gateway.sophonsight;

/**
 * The request reached the platform (or may have), but its answer never came back: the connection broke
 * after the request was sent, the response timeout passed, or a proxy answered 504. The platform may
 * have applied the call. Retried like any unavailable platform, unless the caller says a repeat could
 * create something twice (header {@code SophonSightRepeatIfAnswerLost = false}, e.g. visitor/add).
 */
public class SophonSightAnswerLostException extends SophonSightUnavailableException {

    public SophonSightAnswerLostException(String path, int httpStatus, String reason, Throwable cause) {
        super(path, httpStatus, "answer lost, the call may have been applied (" + reason + ")", cause);
    }
}
