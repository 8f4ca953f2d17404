package io.sophonsight.gateway.sophonsight;

/**
 * A paged list of the platform (a record window, the device list) could not be proven read to its
 * end (see {@link PagedReading}). Thrown by the routes when a reading ends INCOMPLETE: the run fails,
 * so the watermark stays and no device is marked removed; the message says why.
 */
public class PagedListIncompleteException extends RuntimeException {

    public PagedListIncompleteException(String message) {
        super(message);
    }
}
