package io.sophonsight.gateway.visitors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Visitor photos on disk. A photo is kept in the photo folder from the moment a registration is
 * accepted until the registration is final, so a registration the platform could not take yet can
 * still upload it later, after a restart too. Photos are personal data: the copy is deleted as soon as
 * the platform has the visitor, refused it, or the gateway gave up.
 *
 * <p>Table rows may also name a photo file: only files inside the configured incoming folder are read,
 * so a row cannot make the gateway read arbitrary files.
 */
@Component("visitorPhotoStore")
public class VisitorPhotoStore {

    private static final Logger LOG = LoggerFactory.getLogger(VisitorPhotoStore.class);

    private final Path folder;
    private final Path incomingFolder;

    public VisitorPhotoStore(VisitorsProperties visitors) throws IOException {
        String folder = visitors.photo().folder();
        String incomingFolder = visitors.intake().photoFolder();
        this.folder = Path.of(folder).toAbsolutePath().normalize();
        this.incomingFolder = Path.of(incomingFolder).toAbsolutePath().normalize();
        Files.createDirectories(this.folder);
        Files.createDirectories(this.incomingFolder);
    }

    /**
     * Camel step of visitor-accept: writes the photo bytes ({@code photo}) of the new registration's
     * column values to {@code <id>.<photo_type>} and replaces them by the file name ({@code photo_file}).
     * Written to a temporary file first, then moved, so a crash never leaves half a photo.
     */
    public Map<String, Object> keep(Map<String, Object> registration) throws IOException {
        byte[] bytes = (byte[]) registration.remove("photo");
        String fileName = registration.get("id") + "." + registration.remove("photo_type");
        Path target = folder.resolve(fileName);
        Path temporary = folder.resolve(fileName + ".part");
        Files.write(temporary, bytes);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        registration.put("photo_file", fileName);
        return registration;
    }

    /** The bytes of the registration's kept photo, for direct:sophonsight-photo-upload. */
    public byte[] keptPhoto(Map<String, Object> registration) {
        String fileName = (String) registration.get("photo_file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(resolveKept(fileName));
        } catch (IOException e) {
            throw new VisitorPhotoMissingException("the photo kept for registration " + registration.get("id")
                    + " cannot be read (" + e.getClass().getSimpleName() + ": " + fileName + ")", e);
        }
        return bytes;
    }

    /** Camel step once a registration is final: the local copy is no longer needed. */
    public void discard(Map<String, Object> registration) {
        String fileName = registration == null ? null : (String) registration.get("photo_file");
        if (fileName == null) {
            return;
        }
        try {
            Files.deleteIfExists(resolveKept(fileName));
        } catch (IOException e) {
            LOG.warn("Could not delete the kept photo {} of visitor registration {}: {}", fileName,
                    registration.get("id"), e.getMessage());
        }
    }

    /** The photo file a table row names, relative to the incoming folder (or absolute inside it). */
    public byte[] readIncoming(String path) {
        Path file = incomingFolder.resolve(path.trim()).toAbsolutePath().normalize();
        if (!file.startsWith(incomingFolder)) {
            throw VisitorValidationException.of("photo", "file must be inside the incoming photo folder " + incomingFolder);
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw VisitorValidationException.of("photo", "file not found: " + file);
        } catch (AccessDeniedException e) {
            throw VisitorValidationException.of("photo", "file not readable: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read visitor photo " + file, e);
        }
    }

    /** Whether the kept photo of a registration is still on disk (for operators and tests). */
    public boolean isKept(String fileName) {
        return fileName != null && Files.exists(resolveKept(fileName));
    }

    private Path resolveKept(String fileName) {
        Path file = folder.resolve(String.valueOf(fileName)).normalize();
        if (!file.startsWith(folder)) {
            throw new IllegalArgumentException("photo file outside the photo folder: " + fileName);
        }
        return file;
    }
}
