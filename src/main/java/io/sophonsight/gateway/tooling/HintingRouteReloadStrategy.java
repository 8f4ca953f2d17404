package io.sophonsight.gateway.tooling;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.dsl.yaml.common.exception.YamlDeserializationException;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of the dev profile: a saved route file reloads the routes of that file only. A broken
 * file is reported in one line with file, line and the nearest valid YAML DSL field, and the routes
 * already running keep running (Camel's own reload would log a stack trace without a hint).
 */
public class HintingRouteReloadStrategy extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(HintingRouteReloadStrategy.class);
    private static final Pattern UNSUPPORTED_FIELD = Pattern.compile("(?:Unsupported|Unknown) field: (\\S+)");
    private static final Pattern POSITION = Pattern.compile("in file:(\\S+), line (\\d+), column (\\d+)");

    public HintingRouteReloadStrategy(String directory, String pattern) {
        super(directory, false);
        setPattern(pattern);
        setRemoveAllRoutes(false);
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        try {
            super.onRouteReload(resources, removeEverything);
        } catch (RuntimeException e) {
            String files = resources == null ? "?" : resources.stream().map(Resource::getLocation).toList().toString();
            LOG.warn("Route reload refused, the running flows are unchanged: {}", describe(e, files));
        }
    }

    /** {@code routes/x.camel.yaml:8:22: Unsupported field: constnt (did you mean 'constant'?)}, or the plain error. */
    static String describe(Throwable failure, String fallbackLocation) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof YamlDeserializationException)) {
            cause = cause.getCause();
        }
        String message = String.valueOf((cause == null ? failure : cause).getMessage());
        String first = message.lines().findFirst().orElse(message).trim();
        String where = fallbackLocation;
        Matcher position = POSITION.matcher(message);
        if (position.find()) {
            where = position.group(1) + ":" + position.group(2) + ":" + position.group(3);
        }
        Matcher field = UNSUPPORTED_FIELD.matcher(first);
        if (field.find()) {
            first += FlowValidator.nearest(field.group(1), FlowValidator.yamlFieldNames());
        }
        return where + ": " + first;
    }
}
