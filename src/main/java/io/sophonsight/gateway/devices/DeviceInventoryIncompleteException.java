package io.sophonsight.gateway.devices;

/**
 * The platform's device list could not be read to its end in this pass (a page repeated, too
 * many pages, a total that does not add up). The pass fails, so no device is marked removed.
 */
public class DeviceInventoryIncompleteException extends RuntimeException {

    public DeviceInventoryIncompleteException(String message) {
        super(message);
    }
}
