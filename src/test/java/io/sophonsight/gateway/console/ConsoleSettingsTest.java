package io.sophonsight.gateway.console;

import java.util.List;

import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import io.hawt.web.auth.RolePrincipal;
import org.apache.catalina.valves.AccessLogValve;
import org.apache.catalina.valves.RemoteIpValve;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who may use the console, without a gateway context: when it is on or off, the demo credential, the JAAS login
 * hawtio runs, the loopback-only check and the management server ignoring X-Forwarded-For.
 */
class ConsoleSettingsTest {

    private static final String REALM = "console-settings-test";

    private static ConsoleSettings settings(String user, String password, boolean simulator, boolean loopbackOnly) {
        return new ConsoleSettings(user, password, simulator, loopbackOnly, REALM, "admin");
    }

    @Test
    void withoutAUserTheConsoleIsOffOutsideTheDemoAndOnWithAGeneratedPasswordBesideTheSimulator() {
        // Given no GATEWAY_CONSOLE_USER against a real platform, Then the console is off and accepts nobody
        ConsoleSettings production = settings("", "", false, true);
        assertThat(production.enabled()).isFalse();
        assertThat(production.accepts("admin", "".toCharArray())).isFalse();

        // Given no user beside the built-in simulator (the one-command demo), Then it is on for user admin with a
        // password generated for this process, different each time
        ConsoleSettings demo = settings(" ", "", true, true);
        assertThat(demo.enabled()).isTrue();
        assertThat(demo.user()).isEqualTo(ConsoleSettings.DEMO_USER);
        assertThat(demo.generatedPassword()).hasSize(24);
        assertThat(demo.accepts("admin", demo.generatedPassword().toCharArray())).isTrue();
        assertThat(demo.accepts("admin", "admin".toCharArray())).isFalse();
        assertThat(settings("", "", true, true).generatedPassword()).isNotEqualTo(demo.generatedPassword());
    }

    @Test
    void aUserWithoutAPasswordStopsTheStartWithAClearReason() {
        assertThatThrownBy(() -> settings("operator", " ", false, true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GATEWAY_CONSOLE_PASSWORD");
    }

    @Test
    void theConsoleRealmLogsInTheConfiguredUserOnlyWithTheRoleHawtioRequires() throws Exception {
        // Given the console user and password configured (GATEWAY_CONSOLE_USER / GATEWAY_CONSOLE_PASSWORD)
        ConsoleSettings configured = settings("operator", "long-console-password", false, true);
        assertThat(configured.generatedPassword()).isNull();

        // When hawtio logs in through JAAS with the right credentials, Then the subject is the user with role admin
        Subject subject = login("operator", "long-console-password");
        assertThat(subject.getPrincipals()).extracting(java.security.Principal::getName).contains("operator", "admin");
        assertThat(subject.getPrincipals(RolePrincipal.class)).extracting(RolePrincipal::getName).containsExactly("admin");

        // When the password or the user is wrong, Then the login fails
        assertThatThrownBy(() -> login("operator", "guess")).isInstanceOf(LoginException.class);
        assertThatThrownBy(() -> login("admin", "long-console-password")).isInstanceOf(LoginException.class);
    }

    private static Subject login(String user, String password) throws LoginException {
        Subject subject = new Subject();
        LoginContext context = new LoginContext(REALM, subject, callbacks -> {
            for (var callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PasswordCallback secret) {
                    secret.setPassword(password.toCharArray());
                }
            }
        });
        context.login();
        return subject;
    }

    @Test
    void theConsoleAnswersTheLoopbackInterfaceOnlyAndNothingWhenOff() throws Exception {
        ConsoleAccessFilter filter = new ConsoleAccessFilter(settings("operator", "pw-pw-pw-pw", false, true));
        // When a pod of another namespace (or any non-loopback address) asks, Then 403
        assertThat(status(filter, "10.42.0.17")).isEqualTo(403);
        assertThat(status(filter, "192.168.1.20")).isEqualTo(403);
        // When kubectl port-forward or a browser on the machine asks, Then the request goes on (to hawtio's login)
        assertThat(status(filter, "127.0.0.1")).isEqualTo(200);
        assertThat(status(filter, "0:0:0:0:0:0:0:1")).isEqualTo(200);
        // With GATEWAY_CONSOLE_LOOPBACK_ONLY=false any caller that reaches the port gets to the login
        assertThat(status(new ConsoleAccessFilter(settings("operator", "pw-pw-pw-pw", false, false)), "10.42.0.17")).isEqualTo(200);
        // And a console that is off answers 404, even on the loopback interface
        assertThat(status(new ConsoleAccessFilter(settings("", "", false, true)), "127.0.0.1")).isEqualTo(404);
    }

    private static int status(ConsoleAccessFilter filter, String remoteAddress) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/hawtio/");
        request.setRemoteAddr(remoteAddress);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response.getStatus();
    }

    @Test
    void aManagementServerOfItsOwnTakesTheSocketPeerAsTheCallerNotXForwardedFor() {
        // Given a Tomcat set up as Spring Boot does on Kubernetes (RemoteIpValve: X-Forwarded-For from private addresses)
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        factory.addEngineValves(new RemoteIpValve(), new AccessLogValve());

        // When the management server's customizer runs, Then the valve is gone (a pod cannot claim to be 127.0.0.1)
        new ConsoleManagementConfiguration.ManagementPeerIsTheCaller(true).customize(factory);
        assertThat(factory.getEngineValves()).noneMatch(RemoteIpValve.class::isInstance).hasSize(1);

        // And a management server shared with the push port (MANAGEMENT_PORT = SERVER_PORT) is left as it is
        TomcatServletWebServerFactory shared = new TomcatServletWebServerFactory();
        shared.addEngineValves(new RemoteIpValve());
        new ConsoleManagementConfiguration.ManagementPeerIsTheCaller(false).customize(shared);
        assertThat(List.copyOf(shared.getEngineValves())).hasSize(1);
    }
}
