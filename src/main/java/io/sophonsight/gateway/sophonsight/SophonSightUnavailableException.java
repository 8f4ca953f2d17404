package io.sophonsight.gateway.sophonsight;

/**
 * The platform could not be reached or answered with a server error (connection refused, timeout, HTTP 5xx,
 * an answer that is not the platform's envelope). Retried with backoff by the call step, then raised to the flow.
 */
public class SophonSightUnavailableException extends SophonSightCallException {

    public SophonSightUnavailableException(String path, int httpStatus, String reason, Throwable cause) {
        super(path, httpStatus, "SophonSight unavailable for " + path + ": " + reason, cause);
    }
}
