package io.sophonsight.gateway.tooling;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pre-deploy check ({@code java -jar gateway.jar validate}, {@code mvn -q compile exec:java@validate-flows}):
 * the project's own flows pass, and each kind of mistake is reported with file, line and a hint.
 */
class FlowValidatorTest {

    @Test
    void projectsOwnConfigurationAndRoutesAreValid() {
        // Given the real application.yaml and routes/ of this project
        // When validated, Then there is nothing to report (CI runs this on every change)
        assertThat(new FlowValidator(Path.of(".")).validate()).isEmpty();
    }

    @Test
    void eachMistakeIsReportedWithFileLineAndNearestValidName() {
        // Given a copy of the project's flows plus two broken files and a broken configuration key
        // (its copy of an older sophonsight-api flow calls Exchange-typed methods: allowed here, it is not under test)
        Map<String, String> allowed = new HashMap<>(FlowValidator.EXCHANGE_METHODS_ALLOWED);
        for (String method : List.of("sophonSightSigner.prepare", "sophonSightResponseReader.unreachable",
                "sophonSightResponseReader.read")) {
            allowed.put(method, "the fixture copies an older flow");
        }
        List<FlowValidator.Problem> problems = new FlowValidator(Path.of("src/test/resources/validator/broken"), Map.of(),
                allowed).validate();
        List<String> lines = problems.stream().map(FlowValidator.Problem::toString).toList();

        // Then every mistake is found, where it is, with the nearest valid name when there is one
        assertThat(lines).contains(
                "routes/typo-field.camel.yaml:8: Unsupported field: constnt (did you mean 'constant'?)",
                "routes/many-mistakes.camel.yaml:2: route id 'Many_Mistakes' is not kebab-case",
                "routes/many-mistakes.camel.yaml:2: routeConfigurationId 'sophonsight-retyr' names no routeConfiguration"
                        + " (did you mean 'sophonsight-retry'?)",
                "routes/many-mistakes.camel.yaml:6: placeholder {{no.such.cron}} is not defined in application.yaml",
                "routes/many-mistakes.camel.yaml:8: unknown bean 'sophonSightSignr' (did you mean 'sophonSightSigner'?)",
                "routes/many-mistakes.camel.yaml:12: endpoint '{{sophonsight.base-url}}?throwExceptionOnFailur=false':"
                        + " unknown option 'throwExceptionOnFailur' (did you mean 'throwExceptionOnFailure'?)",
                "routes/many-mistakes.camel.yaml:16: unknown component 'nosuchcomp' in 'nosuchcomp:abc' (is its starter in pom.xml?)",
                "routes/many-mistakes.camel.yaml:17: no route consumes 'direct:sophonsight-cal' (did you mean 'sophonsight-call'?)");
        assertThat(lines).anyMatch(line -> line.startsWith("routes/many-mistakes.camel.yaml:11: simple expression '${header.foo'"));
        assertThat(lines).anyMatch(line -> line.matches("application.yaml:\\d+: broken.value: .*SOPHONSIGHT_GATEWAY_UNSET_FOR_VALIDATOR_TEST.*"));
        // And the copies of the valid flows produce no finding of their own
        assertThat(problems).noneMatch(problem -> problem.file().equals("routes/sophonsight-api.camel.yaml"));
        assertThat(problems).hasSize(10);
    }
}
