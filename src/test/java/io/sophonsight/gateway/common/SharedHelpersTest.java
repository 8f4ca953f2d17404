package io.sophonsight.gateway.common;

import java.net.ConnectException;
import java.time.Duration;

import io.sophonsight.gateway.sophonsight.SophonSightUnavailableException;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared helpers behave as their callers rely on: backoff figures, masked reasons, truncation, image sniffing. */
class SharedHelpersTest {

    private static final String TOKEN = "0FF1A2B3C4D5E6F708192A3B4C5D6E7F";
    private static final String PUSH_KEY = "pk-7f3a9c1e5b2d4f60a8e1";

    // ---- Backoff

    @Test
    void theVisitorRetryDelayDoublesFromOneMinuteAndStopsAtFifteen() {
        // Given the visitor registration defaults (visitors.retry.initial-delay-ms 60000, max-delay-ms 900000, doubling)
        Backoff visitors = new Backoff(Duration.ofMinutes(1), 2, Duration.ofMinutes(15));
        // Then the delays after 1, 2, 3, 4, 5 and 500 failed attempts are 1, 2, 4, 8, 15, 15 minutes
        assertThat(visitors.after(0)).isEqualTo(Duration.ofMinutes(1));
        assertThat(visitors.after(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(visitors.after(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(visitors.after(3)).isEqualTo(Duration.ofMinutes(4));
        assertThat(visitors.after(4)).isEqualTo(Duration.ofMinutes(8));
        assertThat(visitors.after(5)).isEqualTo(Duration.ofMinutes(15));
        assertThat(visitors.after(500)).isEqualTo(Duration.ofMinutes(15));
        assertThat(visitors.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void theFanoutDelayGrowsByItsMultiplierUpToItsCap() {
        // Given fan-out figures with a non-doubling multiplier (push.fanout.initial-delay-ms 1000, multiplier 3, max 20000)
        Backoff fanout = new Backoff(Duration.ofSeconds(1), 3, Duration.ofSeconds(20));
        // Then 1 s, 3 s, 9 s, then capped at 20 s
        assertThat(fanout.after(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(fanout.after(2)).isEqualTo(Duration.ofSeconds(3));
        assertThat(fanout.after(3)).isEqualTo(Duration.ofSeconds(9));
        assertThat(fanout.after(4)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void theCapWinsOverAFirstDelayAboveItAndAShrinkingBackoffIsRefused() {
        // Given a cap below the first delay (a test's fast retries: max-delay-ms 300, initial-delay-ms 1000)
        assertThat(new Backoff(Duration.ofSeconds(1), 2, Duration.ofMillis(300)).after(1)).isEqualTo(Duration.ofMillis(300));
        // Then a multiplier below 1 or a negative delay is a configuration error, said at start-up
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier >= 1");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), 2, Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delays >= 0");
    }

    // ---- Text

    @Test
    void aTextOverTheLimitIsCutToTheLimitWithAnEllipsis() {
        // Given a 12-character text
        String text = "abcdefghijkl";
        // Then a limit of 12 or more keeps it; a limit of 5 keeps 4 characters and the marker, 5 in all
        assertThat(Text.truncate(text, 12)).isSameAs(text);
        assertThat(Text.truncate(text, 5)).isEqualTo("abcd…").hasSize(5);
        assertThat(Text.truncate(text, 1)).isEqualTo("…");
        assertThat(Text.truncate(null, 5)).isNull();
    }

    @Test
    void truncationNeverSplitsACharacterInTwo() {
        // Given a text whose cut would fall inside an emoji (a surrogate pair)
        String text = "ab\uD83D\uDE00cdef";
        // Then the whole emoji goes, not half of it
        assertThat(Text.truncate(text, 4)).isEqualTo("ab…");
    }

    // ---- FailureReason

    @Test
    void aFailureReasonMasksThePlatformTokenAndThePushKey() {
        // Given a transport failure whose message carries the call's URL with its token, and a push URL with its key
        Exception failure = new ConnectException("Connect to http://platform/openapi/v1/cross/search?appkey=demo&token="
                + TOKEN + " failed; push /sophonsight/access-records?key=" + PUSH_KEY);
        // When it becomes a reason
        String reason = FailureReason.of(failure);
        // Then neither secret is in it, the first four token characters still tell tokens apart
        assertThat(reason).doesNotContain(TOKEN).doesNotContain(PUSH_KEY)
                .contains("token=0FF1****").contains("key=****").startsWith("ConnectException: Connect to");
    }

    @Test
    void aWrappedFailureNamesItsRootCauseAlsoMasked() {
        // Given a Camel wrapper around the real failure
        Exception failure = new RuntimeCamelException("wrapped", new IllegalStateException("broker at tcp://q?token=" + TOKEN));
        // Then the reason names the wrapper and, masked, the root cause
        assertThat(FailureReason.of(failure))
                .isEqualTo("RuntimeCamelException: wrapped (cause IllegalStateException: broker at tcp://q?token=0FF1****)");
    }

    @Test
    void aPlatformCallFailureSpeaksForItselfWhereverItIsInTheChain() {
        // Given a platform call failure wrapped by Camel
        Exception call = new SophonSightUnavailableException("/openapi/v1/pic/upload", 503, "HTTP 503", null);
        // Then its own message is the reason, without wrapper or class name
        assertThat(FailureReason.of(new RuntimeCamelException(call)))
                .isEqualTo("SophonSight unavailable for /openapi/v1/pic/upload: HTTP 503");
    }

    @Test
    void aFailureReasonIsOneShortLine() {
        // Given a message with line breaks (a forged log line) and 5000 characters
        Exception failure = new IllegalArgumentException("bad\r\nINFO forged line " + "x".repeat(5000));
        // When it becomes a reason
        String reason = FailureReason.of(failure);
        // Then it is one line of at most FailureReason.MAX characters, ending with the cut marker
        assertThat(reason).doesNotContain("\n").doesNotContain("\r").contains("bad\\r\\nINFO forged line")
                .hasSize(FailureReason.MAX).endsWith(Text.ELLIPSIS);
        assertThat(FailureReason.of(failure, 40)).hasSize(40);
        assertThat(FailureReason.of(null)).isEqualTo("unknown failure");
        assertThat(FailureReason.of(new NullPointerException())).isEqualTo("NullPointerException");
    }

    @Test
    void aReasonInWordsIsMaskedToo() {
        assertThat(FailureReason.text("platform said: token=" + TOKEN + " expired")).isEqualTo("platform said: token=0FF1**** expired");
        assertThat(FailureReason.text(null)).isNull();
    }

    // ---- ImageType

    @Test
    void jpegAndPngAreFacePhotosByTheirFirstBytes() {
        ImageType jpeg = ImageType.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10});
        ImageType png = ImageType.sniff(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0});
        assertThat(jpeg).isEqualTo(ImageType.JPEG);
        assertThat(jpeg.extension()).isEqualTo("jpg");
        assertThat(jpeg.mediaType()).isEqualTo("image/jpeg");
        assertThat(jpeg.isFacePhoto()).isTrue();
        assertThat(png).isEqualTo(ImageType.PNG);
        assertThat(png.extension()).isEqualTo("png");
        assertThat(png.isFacePhoto()).isTrue();
    }

    @Test
    void gifWebpAndBmpAreImagesButNoFacePhotos() {
        assertThat(ImageType.sniff("GIF89a....".getBytes())).isEqualTo(ImageType.GIF);
        assertThat(ImageType.sniff("RIFF\0\0\0\0WEBPVP8 ".getBytes())).isEqualTo(ImageType.WEBP);
        assertThat(ImageType.sniff("BM\0\0\0\0\0\0\0\0\0\0\0\0".getBytes())).isEqualTo(ImageType.BMP);
        assertThat(ImageType.GIF.isFacePhoto()).isFalse();
        assertThat(ImageType.WEBP.isFacePhoto()).isFalse();
    }

    @Test
    void textEmptyAndTruncatedBytesAreNoImage() {
        assertThat(ImageType.sniff("{\"status\":0}".getBytes())).isNull();
        assertThat(ImageType.sniff("plain text".getBytes())).isNull();
        assertThat(ImageType.sniff(new byte[0])).isNull();
        assertThat(ImageType.sniff(null)).isNull();
        assertThat(ImageType.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8})).isNull();
        assertThat(ImageType.sniff(new byte[] {(byte) 0x89, 'P', 'N', 'G'})).isNull();
    }
}
