package io.sophonsight.gateway.sophonsight;

/** A call to the SophonSight open API that did not succeed. Carries the API path and the platform's status. */
public class SophonSightCallException extends RuntimeException {

    private final String path;
    private final int status;

    public SophonSightCallException(String path, int status, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
        this.status = status;
    }

    public String getPath() {
        return path;
    }

    /** The envelope's {@code status} for business errors; the HTTP status (or -1 without a response) otherwise. */
    public int getStatus() {
        return status;
    }
}
