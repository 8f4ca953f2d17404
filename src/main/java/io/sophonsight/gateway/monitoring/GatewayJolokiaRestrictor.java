package io.sophonsight.gateway.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;

import javax.management.ObjectName;

import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.config.Configuration;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

/**
 * The gateway's Jolokia policy ({@code jolokia-access.xml}, or {@code JOLOKIA_POLICY_LOCATION}) with one
 * refinement of its strict CORS check: a request without Origin and without Referer (curl, a script, a
 * monitoring system) is answered. Jolokia's own strict check refuses those too, although no browser sends a
 * cross-site POST without an Origin, and the policy allows POST only. Pages of another origin stay refused
 * before anything runs. Used by the standalone agent and by the console's Jolokia alike.
 */
public class GatewayJolokiaRestrictor implements Restrictor {

    private final PolicyRestrictor policy;

    /** Called by Jolokia ({@code restrictorClass}); reads {@code policyLocation} as Jolokia itself would. */
    public GatewayJolokiaRestrictor(Configuration configuration) {
        this(configuration.getConfig(ConfigKey.POLICY_LOCATION));
    }

    public GatewayJolokiaRestrictor(String policyLocation) {
        try {
            this.policy = RestrictorFactory.lookupPolicyRestrictor(policyLocation);
        } catch (IOException e) {
            throw new UncheckedIOException("Jolokia policy " + policyLocation + " cannot be read", e);
        }
        if (policy == null) {
            throw new IllegalStateException("Jolokia policy " + policyLocation + " not found (JOLOKIA_POLICY_LOCATION)");
        }
    }

    @Override
    public boolean isOriginAllowed(String origin, boolean strictCheck) {
        if (origin == null) {
            return true;
        }
        return policy.isOriginAllowed(origin, strictCheck);
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return policy.isHttpMethodAllowed(method);
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return policy.isTypeAllowed(type);
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return policy.isAttributeReadAllowed(name, attribute);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return policy.isAttributeWriteAllowed(name, attribute);
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        return policy.isOperationAllowed(name, operation);
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return policy.isRemoteAccessAllowed(hostOrAddress);
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return policy.isObjectNameHidden(name);
    }

    @Override
    public boolean ignoreScheme() {
        return policy.ignoreScheme();
    }
}
