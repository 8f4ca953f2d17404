package io.sophonsight.gateway.sophonsight;

import java.security.SecureRandom;
import java.util.HexFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.sophonsight.gateway.simulator.SimulatorProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The appkey and secret the gateway signs with. The secret comes only from the environment
 * ({@code SOPHONSIGHT_SECRET}); when it is absent and the built-in simulator is on, a random
 * secret is generated for this process so the embedded demo works without any secret on disk.
 * Against a real platform a missing secret stops start-up with a clear message.
 */
@Component("sophonSightCredentials")
public class SophonSightCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(SophonSightCredentials.class);

    private final String appkey;
    private final String secret;

    @Autowired
    public SophonSightCredentials(SophonSightProperties sophonSight, SimulatorProperties simulator) {
        this(sophonSight.appkey(), sophonSight.secret(), simulator.enabled());
    }

    public SophonSightCredentials(String appkey, String secret, boolean simulatorEnabled) {
        if (appkey == null || appkey.isBlank()) {
            throw new IllegalStateException("sophonsight.appkey is empty: set SOPHONSIGHT_APPKEY");
        }
        this.appkey = appkey.trim();
        if (secret == null || secret.isBlank()) {
            if (!simulatorEnabled) {
                throw new IllegalStateException(
                        "SOPHONSIGHT_SECRET is not set: it is required when the built-in simulator is off");
            }
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            this.secret = HexFormat.of().formatHex(random);
            LOG.info("SOPHONSIGHT_SECRET not set: generated a per-process secret shared with the built-in simulator");
        } else {
            this.secret = secret;
        }
    }

    public String appkey() {
        return appkey;
    }

    public String secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "SophonSightCredentials[appkey=" + appkey + ", secret=****]";
    }
}
