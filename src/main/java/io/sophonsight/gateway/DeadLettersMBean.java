package io.sophonsight.gateway;

/** JMX view of the dead letters ({@code io.sophonsight.gateway:type=DeadLetters}). */
public interface DeadLettersMBean {

    /** Re-drives every dead letter that can be replayed; answers how many were. */
    int replay();
}
