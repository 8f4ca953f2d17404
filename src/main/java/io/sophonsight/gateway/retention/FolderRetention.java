package io.sophonsight.gateway.retention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Timestamp;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes the files of a folder tree last written before a cut-off (photos of passes, the photo cache), and the
 * date folders they leave empty. Symbolic links are neither followed nor deleted: the purge never reaches outside
 * the folder it is given. A file that vanishes meanwhile (a concurrent purge on another replica) is not an error.
 */
@Component("folderRetention")
public class FolderRetention {

    private static final Logger LOG = LoggerFactory.getLogger(FolderRetention.class);

    /**
     * Deletes the regular files under {@code folder} last modified before {@code cutoff}; returns how many.
     * A folder that does not exist (nothing was ever written) holds nothing to delete.
     */
    public int deleteFilesOlderThan(String folder, Timestamp cutoff) {
        Path root = Path.of(folder).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            return 0;
        }
        long cutoffMillis = cutoff.getTime();
        AtomicInteger deleted = new AtomicInteger();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    if (attributes.isRegularFile() && attributes.lastModifiedTime().toMillis() < cutoffMillis
                            && Files.deleteIfExists(file)) {
                        deleted.incrementAndGet();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (!(e instanceof NoSuchFileException)) {
                        LOG.warn("Retention could not read {}: {}", file, e.toString());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (!dir.equals(root)) {
                        try (var entries = Files.list(dir)) {
                            if (entries.findAny().isEmpty()) {
                                Files.deleteIfExists(dir);
                            }
                        } catch (NoSuchFileException | DirectoryNotEmptyException raced) {
                            // another replica's purge removed it first, or a new file was just written into it
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("retention purge of " + root + " failed after " + deleted.get() + " files", e);
        }
        return deleted.get();
    }
}
