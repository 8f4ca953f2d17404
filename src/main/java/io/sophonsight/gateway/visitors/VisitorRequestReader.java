package io.sophonsight.gateway.visitors;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Clob;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

/**
 * Reads a visitor registration from each entry into the one field map {@link VisitorValidator} checks:
 * a REST request (JSON, or multipart form with the photo as a file part) or a row of the visitor
 * request table. Reading never judges the values; validation does.
 */
@Component("visitorRequestReader")
public class VisitorRequestReader {

    /** Field names of the REST API, also the keys of the map handed to validation. */
    static final List<String> TEXT_FIELDS = List.of("name", "startTime", "endTime", "needsAudit", "hostEmployeeId", "reason");

    /** Exchange property: the caller's address, for log lines about refused requests. */
    public static final String CALLER = "VisitorCaller";

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private final ObjectMapper mapper;
    private final VisitorPhotoStore photos;

    public VisitorRequestReader(ObjectMapper mapper, VisitorPhotoStore photos) {
        this.mapper = mapper;
        this.photos = photos;
    }

    /** Camel step of the REST entry: the request body (JSON or multipart) as a field map. */
    public Map<String, Object> fromHttp(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        if (in instanceof PlatformHttpMessage http && http.getRequest() != null) {
            exchange.setProperty(CALLER, http.getRequest().getRemoteAddr());
        }
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase();
        if (contentType.startsWith("multipart/form-data")) {
            return fromMultipart(exchange);
        }
        byte[] body = in.getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw VisitorValidationException.of("body", "is required: a JSON object with the visitor's fields");
        }
        try {
            Object parsed = mapper.readValue(body, Object.class);
            if (!(parsed instanceof Map)) {
                throw VisitorValidationException.of("body", "must be a JSON object with the visitor's fields");
            }
            return mapper.convertValue(parsed, MAP);
        } catch (JsonProcessingException e) {
            throw VisitorValidationException.of("body", "is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
    }

    private Map<String, Object> fromMultipart(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        try {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (String field : TEXT_FIELDS) {
                Object value = in.getHeader(field);
                if (value != null) {
                    fields.put(field, value);
                }
            }
            byte[] photo = photoPart(exchange);
            if (photo != null) {
                fields.put("photo", photo);
            } else if (in.getHeader("photo") != null) { // base64 text sent as a plain form field
                fields.put("photo", in.getHeader("photo"));
            }
            return fields;
        } finally {
            removeUploadedFiles(exchange);
        }
    }

    /** The file part named {@code photo} (or the only file part), read into memory. */
    private static byte[] photoPart(Exchange exchange) throws IOException {
        AttachmentMessage attachments = exchange.getMessage(AttachmentMessage.class);
        if (attachments != null && attachments.hasAttachments()) {
            DataHandler part = attachments.getAttachment("photo");
            if (part == null && attachments.getAttachmentNames().size() == 1) {
                part = attachments.getAttachment(attachments.getAttachmentNames().iterator().next());
            }
            if (part != null) {
                try (InputStream stream = part.getInputStream()) {
                    return stream.readAllBytes();
                }
            }
        } else if (exchange.getMessage().getBody() instanceof File file) {
            return Files.readAllBytes(file.toPath());
        }
        return null;
    }

    /**
     * Deletes the temporary copy the HTTP binding wrote of every file part, whether it was used or not (a second
     * part, a part under another name): none of them outlives the request.
     */
    private static void removeUploadedFiles(Exchange exchange) throws IOException {
        Set<Path> files = new LinkedHashSet<>();
        AttachmentMessage attachments = exchange.getMessage(AttachmentMessage.class);
        if (attachments != null && attachments.hasAttachments()) {
            for (String name : attachments.getAttachmentNames()) {
                DataHandler part = attachments.getAttachment(name);
                if (part != null && part.getDataSource() instanceof FileDataSource file) {
                    files.add(file.getFile().toPath());
                }
            }
        }
        String single = exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class);
        if (single != null) {
            files.add(Path.of(single));
        }
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Camel step of the table entry: one row of the request SELECT as a field map. Expected columns
     * (alias yours in the SELECT): {@code name}, {@code start_time}, {@code end_time}, {@code needs_audit},
     * {@code host_employee_id}, {@code visit_reason}, and the photo as {@code photo_base64} or
     * {@code photo_path} (a file inside the incoming photo folder).
     */
    public Map<String, Object> fromRow(Map<String, Object> row) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", row.get("name"));
        fields.put("startTime", row.get("start_time"));
        fields.put("endTime", row.get("end_time"));
        fields.put("needsAudit", row.get("needs_audit"));
        fields.put("hostEmployeeId", row.get("host_employee_id"));
        fields.put("reason", row.get("visit_reason"));
        String base64 = text(row.get("photo_base64"));
        String path = text(row.get("photo_path"));
        if (base64 != null) {
            fields.put("photo", base64);
        } else if (path != null) {
            fields.put("photo", photos.readIncoming(path));
        }
        return fields;
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text;
        if (value instanceof Clob clob) {
            try {
                text = clob.getSubString(1, (int) clob.length());
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot read a text column of the visitor request: " + e.getMessage(), e);
            }
        } else if (value instanceof byte[] bytes) {
            text = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
        } else {
            text = String.valueOf(value);
        }
        return text.isBlank() ? null : text.trim();
    }
}
