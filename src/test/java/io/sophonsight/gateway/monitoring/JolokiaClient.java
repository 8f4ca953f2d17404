package io.sophonsight.gateway.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What an operator's curl or hawtio sends to the gateway's Jolokia agent: JSON POSTs of
 * {@code read}, {@code write} and {@code exec} requests. Answers the parsed Jolokia response
 * ({@code status}, {@code value} or {@code error}).
 */
public final class JolokiaClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String url;
    private final String basicAuth;

    public JolokiaClient(String url) {
        this(url, null, null);
    }

    public JolokiaClient(String url, String user, String password) {
        this.url = url;
        this.basicAuth = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public Map<String, Object> exec(String mbean, String operation) {
        return send(Map.of("type", "exec", "mbean", mbean, "operation", operation));
    }

    public Map<String, Object> read(String mbean, String attribute) {
        return send(Map.of("type", "read", "mbean", mbean, "attribute", attribute));
    }

    public Map<String, Object> write(String mbean, String attribute, Object value) {
        return send(Map.of("type", "write", "mbean", mbean, "attribute", attribute, "value", value));
    }

    /** The value of a successful request; fails with Jolokia's error otherwise. */
    public static Object value(Map<String, Object> response) {
        if (!Integer.valueOf(200).equals(response.get("status"))) {
            throw new AssertionError("Jolokia answered " + response.get("status") + ": " + response.get("error"));
        }
        return response.get("value");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> send(Map<String, Object> request) {
        HttpResponse<String> response = post(new LinkedHashMap<>(request));
        if (response.statusCode() != 200) {
            return Map.of("status", response.statusCode(), "error", "HTTP " + response.statusCode());
        }
        try {
            return JSON.readValue(response.body(), Map.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a Jolokia answer: " + response.body(), e);
        }
    }

    public HttpResponse<String> post(Map<String, Object> request) {
        return post(request, null);
    }

    /** The request as a browser page of {@code origin} sends it (null: no Origin header, as curl). */
    public HttpResponse<String> post(Map<String, Object> request, String origin) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)));
            if (basicAuth != null) {
                builder.header("Authorization", basicAuth);
            }
            if (origin != null) {
                builder.header("Origin", origin);
            }
            return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
