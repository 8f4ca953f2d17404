package io.sophonsight.gateway.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.sophonsight.gateway.simulator.SimulatorProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Who may log in to the Camel console (hawtio on the management port): {@code GATEWAY_CONSOLE_USER} with
 * {@code GATEWAY_CONSOLE_PASSWORD}. Without a user the console is off, except beside the built-in simulator
 * (the one-command demo): then user {@value #DEMO_USER} with a password generated for this process, which the
 * start-up line prints. A user without a password stops the start-up. When the console is on, the login
 * module that checks these credentials is installed as the console's JAAS realm ({@code hawtio.realm}).
 */
@Component
public class ConsoleSettings {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSettings.class);
    public static final String DEMO_USER = "admin";

    private final boolean enabled;
    private final String user;
    private final byte[] passwordDigest;
    private final String generatedPassword;
    private final boolean loopbackOnly;
    private final String role;

    /** hawtio's own keys (realm, roles) have no typed class: hawtio reads them itself, the login module must agree. */
    @Autowired
    public ConsoleSettings(ConsoleProperties console, SimulatorProperties simulator,
                           @Value("${hawtio.realm:sophonsight-gateway-console}") String realm,
                           @Value("${hawtio.roles:admin}") String role) {
        this(console.user(), console.password(), simulator.enabled(), console.loopbackOnly(), realm, role);
    }

    public ConsoleSettings(String user, String password, boolean simulatorEnabled, boolean loopbackOnly, String realm,
                           String role) {
        this.loopbackOnly = loopbackOnly;
        this.role = role.split(",")[0].strip();
        String name = user == null ? "" : user.strip();
        if (name.isEmpty()) {
            if (!simulatorEnabled) {
                this.enabled = false;
                this.user = "";
                this.passwordDigest = null;
                this.generatedPassword = null;
                LOG.info("Camel console off: set GATEWAY_CONSOLE_USER and GATEWAY_CONSOLE_PASSWORD to serve it on the management port");
                return;
            }
            // the one-command demo: a password for this process only, printed in the start-up line
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            this.generatedPassword = HexFormat.of().formatHex(random);
            this.user = DEMO_USER;
            this.passwordDigest = digest(generatedPassword);
        } else {
            if (password == null || password.isBlank()) {
                throw new IllegalStateException("GATEWAY_CONSOLE_USER is set but GATEWAY_CONSOLE_PASSWORD is empty: set both, "
                        + "or neither (then the console is off)");
            }
            this.user = name;
            this.passwordDigest = digest(password);
            this.generatedPassword = null;
        }
        this.enabled = true;
        ConsoleLoginModule.install(realm, this);
    }

    public boolean enabled() {
        return enabled;
    }

    public String user() {
        return user;
    }

    /** The demo password generated for this process (printed once at start-up), or null when configured or off. */
    public String generatedPassword() {
        return generatedPassword;
    }

    /** True when the console answers callers on the loopback interface only (same machine, kubectl port-forward). */
    public boolean loopbackOnly() {
        return loopbackOnly;
    }

    /** The role the console requires (hawtio.roles), granted to the console user on login. */
    String role() {
        return role;
    }

    /** Whether these credentials are the console user's; compares digests in constant time. */
    boolean accepts(String name, char[] password) {
        if (!enabled || name == null || password == null) {
            return false;
        }
        boolean userMatches = MessageDigest.isEqual(digest(name), digest(user));
        boolean passwordMatches = MessageDigest.isEqual(digest(new String(password)), passwordDigest);
        return userMatches & passwordMatches;
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }
}
