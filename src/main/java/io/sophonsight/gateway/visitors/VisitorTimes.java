package io.sophonsight.gateway.visitors;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;

import io.sophonsight.gateway.common.Text;

/** Visit times as callers send them (epoch ms or ISO-8601 with a zone) and as databases return them. */
final class VisitorTimes {

    private VisitorTimes() {
    }

    /**
     * Reads a time sent by a caller or a company table: epoch milliseconds (number or digits),
     * ISO-8601 with an offset or zone ({@code 2026-05-01T09:00:00+08:00}, {@code …Z},
     * {@code …[Asia/Shanghai]}), or a database timestamp.
     *
     * @throws IllegalArgumentException with a reason a caller can act on
     */
    static Instant parse(Object value) {
        if (value instanceof Number number) {
            return Instant.ofEpochMilli(number.longValue());
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof ZonedDateTime time) {
            return time.toInstant();
        }
        if (value instanceof Date date) { // java.sql.Timestamp from a TIMESTAMP column
            return date.toInstant();
        }
        String text = String.valueOf(value).trim();
        if (text.matches("-?\\d{1,19}")) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        try {
            return ZonedDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be epoch milliseconds or ISO-8601 with a zone, "
                    + "e.g. 2026-05-01T09:00:00+08:00, was '" + Text.truncate(text, 40) + "'");
        }
    }

    /** A timestamp read back from the gateway's own table (H2 gives OffsetDateTime, PostgreSQL Timestamp). */
    static Instant fromColumn(Object value) {
        return value == null ? null : parse(value);
    }

    /** The value the gateway writes into its own TIMESTAMP WITH TIME ZONE columns. */
    static OffsetDateTime toColumn(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
