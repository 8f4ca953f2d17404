package io.sophonsight.gateway.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %m}, {@code %msg}, {@code %message} of the gateway's log patterns: the message with {@link LogSafe} escapes. */
public class LogSafeMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return LogSafe.escape(super.convert(event));
    }
}
