package io.sophonsight.gateway.logging;

import org.springframework.boot.logging.logback.StructuredLogEncoder;

/**
 * Spring Boot's structured (JSON) encoder for the JSON console appender of logback-spring.xml, which is declared
 * also while the text layout is the one writing ({@link ConsoleFormatFilter}): then Spring Boot gives it no format
 * (or an empty one), which its encoder refuses at start-up; ECS stands in, and nothing is written with it.
 */
public class ConsoleJsonEncoder extends StructuredLogEncoder {

    private static final String STAND_IN = "ecs";

    private boolean formatSet;

    @Override
    public void setFormat(String format) {
        boolean given = format != null && !format.isBlank();
        super.setFormat(given ? format : STAND_IN);
        formatSet = true;
    }

    @Override
    public void start() {
        if (!formatSet) {
            setFormat(STAND_IN);
        }
        super.start();
    }
}
