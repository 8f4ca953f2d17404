package io.sophonsight.gateway.sophonsight;

/**
 * The platform answered with {@code status != 0}: it understood the call and refused it.
 * Never retried by the call step: the same request would be refused again.
 */
public class SophonSightBusinessException extends SophonSightCallException {

    private final String platformMessage;

    public SophonSightBusinessException(String path, int status, String platformMessage) {
        super(path, status, "SophonSight refused " + path + ": status " + status + ", message '" + platformMessage + "'", null);
        this.platformMessage = platformMessage;
    }

    public String getPlatformMessage() {
        return platformMessage;
    }
}
