package io.sophonsight.gateway.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where one replayed access event landed after its fan-out: its {@code access_event} id and dedupe key,
 * the canonical person type, its {@code access_record} row, the messages each queue holds for it (queue
 * name -> message bodies, JSON) and the files written from its images.
 */
public record Landing(long eventId, String dedupeKey, String personType, Map<String, Object> record,
                      Map<String, List<String>> messages, List<Path> files, Path dataDir) {

    /** Names of the queues that got the event (at least one message). */
    public Set<String> queues() {
        return messages.keySet();
    }

    /** The messages of the event on {@code queue}; empty if it did not go there. */
    public List<String> messagesOn(String queue) {
        return messages.getOrDefault(queue, List.of());
    }

    /** Whether the event has its {@code access_record} row. */
    public boolean recorded() {
        return record != null;
    }

    /** The written files as paths relative to the data folder ({@code access-photos/2026/…/42-face.jpg}). */
    public List<String> relativeFiles() {
        return files.stream().map(f -> dataDir.relativize(f).toString().replace('\\', '/')).toList();
    }
}
