package io.sophonsight.gateway.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code gateway.console.*} keys: the login of the Camel console (hawtio on the management port).
 *
 * @param user Login of the console; empty = console off, except beside the built-in simulator (demo: user admin,
 *             password printed at start-up)
 * @param password Password of the console user: environment or Kubernetes Secret only
 * @param loopbackOnly The console answers callers on the loopback interface only (this machine, kubectl
 *                     port-forward); false = anyone who reaches the management port may try the login
 */
@Validated
@ConfigurationProperties("gateway.console")
public record ConsoleProperties(
        @DefaultValue("") String user,
        @DefaultValue("") String password,
        @DefaultValue("true") boolean loopbackOnly) {
}
