package dev.addernet.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Without a console, progress is a plain line per interval, never a carriage-return redraw. */
class EpochProgressTest {

    static String run(long intervalNanos) {
        var bytes = new ByteArrayOutputStream();
        try (var progress = new EpochProgress.Lines("epoch 1/5", 1000, new PrintStream(bytes, true, StandardCharsets.UTF_8), intervalNanos)) {
            for (int i = 0; i < 4; i++) progress.step(250, 0.5);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLinePerIntervalAndNoneForTheEpochsEnd() {
        String every = run(0);
        assertThat(every.lines().toList()).hasSize(3).allMatch(l -> l.startsWith("epoch 1/5  ") && l.contains("/1,000 img  loss 0.5000"));
        assertThat(every).doesNotContain("\r").contains("750/1,000 img");
    }

    @Test
    void nothingWithinTheInterval() {
        assertThat(run(EpochProgress.LINE_INTERVAL_NANOS)).isEmpty();
    }

    @Test
    void thePropertyDecidesWhetherStandardErrorIsAConsole() {
        String before = System.getProperty(EpochProgress.CONSOLE_PROPERTY);
        try {
            System.setProperty(EpochProgress.CONSOLE_PROPERTY, "false");
            assertThat(EpochProgress.onConsole()).isFalse();
            System.setProperty(EpochProgress.CONSOLE_PROPERTY, "true");
            assertThat(EpochProgress.onConsole()).isTrue();
        } finally {
            if (before == null) System.clearProperty(EpochProgress.CONSOLE_PROPERTY);
            else System.setProperty(EpochProgress.CONSOLE_PROPERTY, before);
        }
    }
}
