package io.sophonsight.gateway.logging;

import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * JSON logs ({@code LOG_FORMAT=json}) mask what the text layout masks: every string written (message, logger,
 * thread, MDC values, the stack trace with its exception messages) goes through {@link SecretMasking}.
 * Named by {@code logging.structured.json.customizer} in application.yaml.
 */
public class MaskingJsonMembersCustomizer implements StructuredLoggingJsonMembersCustomizer<Object> {

    @Override
    public void customize(JsonWriter.Members<Object> members) {
        members.applyingValueProcessor(JsonWriter.ValueProcessor.of(String.class, SecretMasking::mask));
    }
}
