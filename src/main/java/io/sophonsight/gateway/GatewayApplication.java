package io.sophonsight.gateway;

import io.sophonsight.gateway.simulator.StandaloneSimulator;
import io.sophonsight.gateway.tooling.FlowValidator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class GatewayApplication {
    /**
     * Starts the gateway. Two tool modes share the jar: {@code validate [projectDir]} checks the flows
     * without starting anything, {@code simulator} runs only the SophonSight simulator.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "validate".equals(args[0])) {
            FlowValidator.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "simulator".equals(args[0])) {
            StandaloneSimulator.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        SpringApplication.run(GatewayApplication.class, args);
    }
}
