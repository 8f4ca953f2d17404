package io.sophonsight.gateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Lets exactly one of logback-spring.xml's two console appenders write: the text one (escaped messages,
 * {@link LogSafeMessageConverter}) when no structured format is set, the JSON one ({@code LOG_FORMAT=json},
 * Spring Boot's structured logging, which escapes by itself) when one is. Logback has no condition without Janino,
 * and Spring Boot reads {@code logging.structured.format.console} only when it configures logging itself.
 */
public class ConsoleFormatFilter extends Filter<ILoggingEvent> {

    private String structuredFormat = "";
    private boolean forStructured;

    /** The structured console format Spring Boot was given ({@code CONSOLE_LOG_STRUCTURED_FORMAT}; empty: text). */
    public void setStructuredFormat(String structuredFormat) {
        this.structuredFormat = structuredFormat == null ? "" : structuredFormat.trim();
    }

    /** Whether this filter guards the structured (JSON) appender. */
    public void setForStructured(boolean forStructured) {
        this.forStructured = forStructured;
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return structuredFormat.isEmpty() != forStructured ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
