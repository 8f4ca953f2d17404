package io.sophonsight.gateway.security;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code gateway.api.*} keys: who may call the REST API and admin paths, from where, with how large a body.
 *
 * @param key Key of the REST API (visitors, devices, photos), sent as Authorization: Bearer or X-Api-Key; environment /
 *            Kubernetes Secret only; unset with the simulator on: those paths are open (demo), otherwise start-up fails
 * @param adminKey Key of the admin paths (HR sync runs, confirming held deletes, dead-letter replay); also opens the
 *                 API paths; environment / Kubernetes Secret only
 * @param adminPaths Paths (Ant patterns) that need the admin key; the API key gets 403 there
 * @param openPaths Paths served without any key (the error page; probes are on the management port)
 * @param allowedSources IPs / CIDR blocks allowed to call the API and admin paths; empty = any address with a key
 * @param bodyPaths Paths (Ant patterns) whose requests may carry a body, up to max-body-size; others take none (413)
 * @param maxBodySize Largest body on body-paths; larger -> HTTP 413
 */
@Validated
@ConfigurationProperties("gateway.api")
public record ApiProperties(
        @DefaultValue("") String key,
        @DefaultValue("") String adminKey,
        @NotNull @DefaultValue({"/api/hr-sync/**", "/gateway/dead-letters/replay"}) List<String> adminPaths,
        @NotNull @DefaultValue("/error") List<String> openPaths,
        @DefaultValue("") List<String> allowedSources,
        @NotNull @DefaultValue("/api/visitors") List<String> bodyPaths,
        @NotNull @DefaultValue("4MB") DataSize maxBodySize) {
}
