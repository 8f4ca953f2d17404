package io.sophonsight.gateway.logging;

import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.push.PushTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value from outside (here a pushed field the gateway quotes when it refuses the push) cannot forge a log line:
 * CR, LF and other control characters come out escaped, in messages and in exception messages alike.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogForgingTest extends PushTestSupport {

    private static final String FORGED = "2026-12-06T07:00:00.000Z ERROR --- [main] forged : FORGED-LINE payment approved";

    @Test
    void aPushedValueWithCrLfStaysOnItsOwnLogLine(CapturedOutput output) throws Exception {
        // Given a pass whose score field carries CR LF and a fake log line
        Map<String, Object> pass = platformPass("E-LOG-FORGE", "employee", System.currentTimeMillis(), "BOX-1", "CAM-1");
        pass.put("matchScore", "high\r\n" + FORGED + "\u001b[31m");

        // When it is pushed (refused: the score is no number; the refusal is logged with the value)
        HttpResponse<String> answer = push(ACCESS_PATH, new ObjectMapper().writeValueAsString(pass));
        assertThat(answer.statusCode()).isEqualTo(400);

        // Then the log shows the value escaped on the refusal's own line, and no line starts with the forged text
        assertThat(output.getOut()).contains("got 'high\\r\\n" + FORGED + "\\u001b[31m'");
        assertThat(output.getOut().lines()).noneMatch(line -> line.startsWith(FORGED));
    }

    @Test
    void anExceptionMessageWithCrLfStaysOnItsOwnLine(CapturedOutput output) {
        // When a message and an exception quoting outside input are logged
        Logger log = LoggerFactory.getLogger(LogForgingTest.class);
        log.warn("HR row refused: {}", "E-1\nFORGED-HR 2026-12-06 INFO admin logged in",
                new IllegalStateException("bad value 'x\r\n" + FORGED + "'", new IllegalArgumentException("cause\n" + FORGED)));

        // Then neither the message nor any exception message starts a line of its own
        assertThat(output.getOut()).contains("E-1\\nFORGED-HR").contains("bad value 'x\\r\\n" + FORGED)
                .contains("cause\\n" + FORGED);
        assertThat(output.getOut().lines()).noneMatch(line -> line.startsWith(FORGED) || line.startsWith("FORGED-HR"));
    }

    @Test
    void escapingLeavesOrdinaryTextAloneAndMarksEveryControlCharacter() {
        assertThat(LogSafe.escape("Zoë Müller, box A-1")).isEqualTo("Zoë Müller, box A-1");
        assertThat(LogSafe.escape("a\rb\nc\td\u0000e\u007ff\u2028g")).isEqualTo("a\\rb\\nc\\td\\u0000e\\u007ff\\u2028g");
        assertThat(LogSafe.escape(null)).isNull();
    }
}
