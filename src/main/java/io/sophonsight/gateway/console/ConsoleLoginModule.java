package io.sophonsight.gateway.console;

import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import io.hawt.web.auth.RolePrincipal;

/**
 * The console's login (JAAS, as hawtio authenticates): the user and password of {@link ConsoleSettings}, nothing
 * else (no tomcat-users.xml, no other realm). A successful login carries the user and the role hawtio requires.
 * hawtio throttles repeated failures ({@code hawtio.authenticationThrottled}).
 */
public class ConsoleLoginModule implements LoginModule {

    static final String SETTINGS = ConsoleSettings.class.getName();

    private Subject subject;
    private CallbackHandler handler;
    private List<ConsoleSettings> candidates = List.of();
    private ConsoleSettings settings;
    private String name;
    private final List<Principal> principals = new ArrayList<>();

    /**
     * Makes this module answer the console's realm. JAAS has one configuration per JVM: other realms keep being
     * answered by the configuration that was there before. A gateway process has one context, so one set of
     * credentials; several gateway contexts in one JVM (tests) each add theirs instead of replacing the others', and a
     * login is accepted by the first whose user and password digest match ({@link ConsoleSettings#accepts}).
     */
    static synchronized void install(String realm, ConsoleSettings settings) {
        ConsoleRealm.REALMS.computeIfAbsent(realm, r -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(settings);
        Configuration current;
        try {
            current = Configuration.getConfiguration();
        } catch (SecurityException none) {
            current = null;
        }
        if (!(current instanceof ConsoleRealm)) {
            Configuration.setConfiguration(new ConsoleRealm(current));
        }
    }

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.handler = callbackHandler;
        @SuppressWarnings("unchecked")
        List<ConsoleSettings> installed = (List<ConsoleSettings>) options.get(SETTINGS);
        this.candidates = installed == null ? List.of() : installed;
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback user = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        try {
            handler.handle(new Callback[] {user, password});
        } catch (IOException | UnsupportedCallbackException e) {
            throw new LoginException("console login needs a user and a password: " + e.getMessage());
        }
        try {
            settings = candidates.stream().filter(c -> c.accepts(user.getName(), password.getPassword())).findFirst()
                    .orElseThrow(() -> new FailedLoginException("wrong console user or password"));
        } finally {
            password.clearPassword();
        }
        name = user.getName();
        return true;
    }

    @Override
    public boolean commit() {
        if (name == null) {
            return false;
        }
        principals.add(new ConsoleUser(name));
        principals.add(new RolePrincipal(settings.role()));
        subject.getPrincipals().addAll(principals);
        return true;
    }

    @Override
    public boolean abort() {
        return logout();
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(principals);
        principals.clear();
        name = null;
        return true;
    }

    /** The console user, as a principal of the logged-in subject. */
    record ConsoleUser(String getName) implements Principal { }

    /** The JAAS configuration: the console's realms, and every other realm as before. */
    static final class ConsoleRealm extends Configuration {

        static final Map<String, List<ConsoleSettings>> REALMS = new java.util.concurrent.ConcurrentHashMap<>();

        private final Configuration others;

        ConsoleRealm(Configuration others) {
            this.others = others;
        }

        @Override
        public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
            List<ConsoleSettings> settings = REALMS.get(name);
            if (settings != null) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(ConsoleLoginModule.class.getName(),
                        AppConfigurationEntry.LoginModuleControlFlag.REQUISITE, Map.of(SETTINGS, settings))};
            }
            return others == null ? null : others.getAppConfigurationEntry(name);
        }

        @Override
        public void refresh() {
            if (others != null) {
                others.refresh();
            }
        }
    }
}
