package io.sophonsight.gateway.tooling;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validator's contract checks: a bean method a route calls takes typed arguments (unless allow-listed with a
 * reason), every SQL file a step names exists, and route templates, templated routes and REST definitions are read
 * and checked like routes.
 */
class FlowValidatorContractsTest {

    private static final Path FIXTURE = Path.of("src/test/resources/validator/contracts");

    /** A bean in the old style: reads and writes the exchange itself. */
    public static class LegacyBean {
        public void decide(Exchange exchange) {
            exchange.getMessage().setHeader("Decided", true);
        }

        public String describe(Exchange exchange) {
            return exchange.getExchangeId();
        }

        public String headerValue(org.apache.camel.Message message) {
            return message.getMessageId();
        }

        public void endpointCall(Exchange exchange) {
            exchange.getMessage().setBody("called");
        }

        public void allowed(Exchange exchange) {
            exchange.getMessage().setHeader("Allowed", true);
        }
    }

    /** A bean in the wanted style: typed arguments in, result out. */
    public static class TypedBean {
        public String plan(String input) {
            return "plan:" + input;
        }
    }

    private List<String> validate() {
        return new FlowValidator(FIXTURE, Map.of("legacyBean", LegacyBean.class, "typedBean", TypedBean.class),
                Map.of("legacyBean.allowed", "kept for the test of the allow-list")).validate().stream()
                .map(FlowValidator.Problem::toString).toList();
    }

    @Test
    void everyFormOfCallingAnExchangeTypedBeanMethodIsReportedUnlessAllowListed() {
        // Given bean:, method:, ${bean:...} and bean: endpoint calls of a method taking the Exchange
        List<String> problems = validate();

        // Then each call is reported; the typed method and the allow-listed one are not
        List<String> calls = problems.stream().filter(p -> p.startsWith("routes/bean-calls.camel.yaml")).toList();
        assertThat(calls).hasSize(4)
                .anyMatch(p -> p.startsWith("routes/bean-calls.camel.yaml:7: bean method 'legacyBean.decide' takes the Exchange"))
                .anyMatch(p -> p.startsWith("routes/bean-calls.camel.yaml:13: bean method 'legacyBean.describe' takes the Exchange"))
                .anyMatch(p -> p.startsWith("routes/bean-calls.camel.yaml:15: bean method 'legacyBean.headerValue' takes the Message"))
                .anyMatch(p -> p.startsWith("routes/bean-calls.camel.yaml:20: bean method 'legacyBean.endpointCall' takes the Exchange"));
        assertThat(problems).filteredOn(p -> p.contains("typedBean") || p.contains("legacyBean.allowed")).isEmpty();
    }

    @Test
    void aSqlFileThatDoesNotExistIsReportedWithTheNearestExistingOne() {
        // Given one step naming an existing statement file and one naming a misspelt file
        List<String> problems = validate();

        // Then only the missing file is reported, with the file it probably meant
        assertThat(problems).filteredOn(p -> p.startsWith("routes/sql-files.camel.yaml")).containsExactly(
                "routes/sql-files.camel.yaml:8: SQL file 'sql/fixture/presnt.sql' does not exist"
                        + " (src/main/resources/sql/fixture/presnt.sql) (did you mean 'sql/fixture/present.sql'?)");
    }

    @Test
    void routeTemplatesTemplatedRoutesAndRestDefinitionsAreCheckedLikeRoutes() {
        // Given a template, a route made from it and a REST definition
        List<String> problems = validate();

        // Then the template's steps are checked (its Exchange-typed call, its direct: call without a consumer) and
        // the REST definition and the templated route load without a finding of their own
        assertThat(problems).filteredOn(p -> p.startsWith("routes/templates.camel.yaml"))
                .anyMatch(p -> p.contains("bean method 'legacyBean.decide' takes the Exchange"))
                .anyMatch(p -> p.contains("no route consumes 'direct:no-such-target'"))
                .allMatch(p -> p.contains("legacyBean.decide") || p.contains("direct:no-such-target"));
    }

    @Test
    void theAllowListHoldsExactlyTheExchangeTypedMethodsTheProjectsRoutesStillCall() {
        // Given the project's own routes validated without the allow-list
        List<String> withoutAllowList = new FlowValidator(Path.of("."), Map.of(), Map.of()).validate().stream()
                .map(FlowValidator.Problem::message).toList();
        Set<String> called = new TreeSet<>();
        for (String message : withoutAllowList) {
            if (message.startsWith("bean method '")) {
                called.add(message.substring("bean method '".length(), message.indexOf("' takes the ")));
            }
        }

        // Then every allow-listed method is still called and still takes the Exchange, and nothing else is reported
        assertThat(called).isEqualTo(FlowValidator.EXCHANGE_METHODS_ALLOWED.keySet());
        assertThat(FlowValidator.EXCHANGE_METHODS_ALLOWED.values()).allMatch(reason -> !reason.isBlank());
    }

    @Test
    void exchangeAndMessageParametersAreRecognised() throws Exception {
        Method decide = LegacyBean.class.getMethod("decide", Exchange.class);
        Method plan = TypedBean.class.getMethod("plan", String.class);
        assertThat(FlowValidator.takesExchangeOrMessage(decide)).isTrue();
        assertThat(FlowValidator.takesExchangeOrMessage(plan)).isFalse();
    }
}
