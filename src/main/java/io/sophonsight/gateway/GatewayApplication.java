package io.sophonsight.gateway;

import io.sophonsight.gateway.tooling.FlowValidator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class GatewayApplication {
    /** {@code java -jar gateway.jar validate [projectDir]} checks the flows without starting the gateway. */
    public static void main(String[] args) {
        if (args.length > 0 && "validate".equals(args[0])) {
            FlowValidator.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        SpringApplication.run(GatewayApplication.class, args);
    }
}
