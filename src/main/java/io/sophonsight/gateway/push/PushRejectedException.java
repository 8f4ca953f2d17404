package io.sophonsight.gateway.push;

/**
 * A push the gateway refuses: the HTTP status to answer (4xx) and a reason an operator (and the
 * platform's administrator) understands. Never retried: the same request would be refused again.
 */
public class PushRejectedException extends RuntimeException {

    private final int httpStatus;

    public PushRejectedException(int httpStatus, String reason) {
        super(reason, null, false, false);
        this.httpStatus = httpStatus;
    }

    public int getHttpStatus() {
        return httpStatus;
    }

    public String getReason() {
        return getMessage();
    }

    public static PushRejectedException badRequest(String reason) {
        return new PushRejectedException(400, reason);
    }
}
