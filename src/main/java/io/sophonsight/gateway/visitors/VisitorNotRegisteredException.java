package io.sophonsight.gateway.visitors;

/**
 * A registration that ended without the visitor on the platform (refused or given up). Raised by the
 * table entry so the request row is marked failed, with this message as its reason.
 */
public class VisitorNotRegisteredException extends RuntimeException {

    public VisitorNotRegisteredException(String message) {
        super(message, null, false, false);
    }
}
