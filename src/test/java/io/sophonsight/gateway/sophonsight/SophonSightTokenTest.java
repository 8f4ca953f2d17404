package io.sophonsight.gateway.sophonsight;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The signature rule of docs/sophonsight-openapi.md §1, proven on every conformance vector. */
class SophonSightTokenTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Vector(String uri, String body, String secret, String token) { }

    static Stream<Vector> vectors() throws Exception {
        try (InputStream in = SophonSightTokenTest.class.getResourceAsStream("/conformance/token-vectors.json")) {
            List<Vector> vectors = MAPPER.readValue(in, new TypeReference<>() { });
            assertThat(vectors).isNotEmpty();
            return vectors.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void tokenOfEveryVectorMatches(Vector vector) {
        // Given the exact body bytes of a vector, When signed, Then the token is the expected one
        assertThat(SophonSightToken.compute(vector.uri(), vector.body().getBytes(StandardCharsets.UTF_8), vector.secret()))
                .isEqualTo(vector.token());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void signerProducesTheVectorsExactBytesAndToken(Vector vector) throws Exception {
        // Given the vector's appkey, time and business fields, in the vector's order
        Map<String, Object> body = MAPPER.readValue(vector.body(), new TypeReference<LinkedHashMap<String, Object>>() { });
        String appkey = (String) body.remove("appkey");
        long time = ((Number) body.remove("time")).longValue();
        SophonSightSigner signer = new SophonSightSigner(new SophonSightCredentials(appkey, vector.secret(), false),
                MAPPER, () -> "http://platform:9061", Clock.fixed(Instant.ofEpochMilli(time), ZoneOffset.UTC));

        // When the signer builds the request
        SophonSightSigner.SignedRequest signed = signer.sign(vector.uri(), body);

        // Then the bytes it would send are the vector's body, byte for byte, and the token matches
        assertThat(new String(signed.body(), StandardCharsets.UTF_8)).isEqualTo(vector.body());
        assertThat(signed.token()).isEqualTo(vector.token());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void anyChangeToBodyOrSecretChangesTheToken(Vector vector) {
        byte[] body = vector.body().getBytes(StandardCharsets.UTF_8);
        byte[] reordered = vector.body().replaceFirst("\\{\"appkey\":(\"[^\"]*\"),\"time\":(\\d+)", "{\"time\":$2,\"appkey\":$1")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(SophonSightToken.compute(vector.uri(), body, vector.secret() + "x")).isNotEqualTo(vector.token());
        assertThat(SophonSightToken.compute(vector.uri(), reordered, vector.secret())).isNotEqualTo(vector.token());
    }

    @org.junit.jupiter.api.Test
    void tokensAreMaskedInLogText() {
        assertThat(SophonSightToken.maskInText("POST http://h/openapi/v1/x?token=0FF16391B0DDDAA83F5220DC78FCE82E failed"))
                .isEqualTo("POST http://h/openapi/v1/x?token=0FF1**** failed");
        assertThat(SophonSightToken.mask("0FF16391B0DDDAA83F5220DC78FCE82E")).isEqualTo("0FF1****");
    }
}
