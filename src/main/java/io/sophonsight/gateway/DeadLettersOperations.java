package io.sophonsight.gateway;

/**
 * JMX view of the dead letters ({@code io.sophonsight.gateway:type=DeadLetters}), registered by {@link DeadLetters}
 * itself. Not named {@code DeadLettersMBean} on purpose: Spring's JMX export would then register the bean a second
 * time under a name of its own.
 */
public interface DeadLettersOperations {

    /** Re-drives every dead letter that can be replayed; answers how many were. */
    int replay();
}
