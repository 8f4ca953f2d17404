package io.sophonsight.gateway.visitors;

import java.time.Instant;

/**
 * A visitor registration that passed validation, whichever entry it came from.
 *
 * @param photo       the image bytes, JPEG or PNG
 * @param photoType   file extension matching the image's magic bytes: {@code jpg} or {@code png}
 * @param needsAudit  an administrator must approve the visitor on the platform before gates open
 */
public record VisitorRequest(String name, Instant startTime, Instant endTime, byte[] photo, String photoType,
                             boolean needsAudit, String hostEmployeeId, String reason) {
}
