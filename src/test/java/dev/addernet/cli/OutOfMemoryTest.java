package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running out of heap is one line naming what was being read and how much it wanted, never a stack trace. */
class OutOfMemoryTest {
    @TempDir Path tmp;

    @Test
    void aPictureLargerThanTheHeapIsOneLine() throws Exception {
        Path weights = UntrustedNumbersTest.weights(tmp, "w", (n, t) -> {});
        Path picture = tmp.resolve("large.png");
        ImageIO.write(new BufferedImage(6000, 6000, BufferedImage.TYPE_BYTE_GRAY), "png", picture.toFile());

        List<String> cmd = new ArrayList<>(CliRun.childCommand(List.of("predict", "--weights", weights.toString(), picture.toString())));
        cmd.add(1, "-Xmx48m");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor()).as(err).isNotZero();
        String last = err.strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).startsWith("error: ").contains("large.png", "6000x6000", "MiB", "-Xmx");
        assertThat(err).doesNotContain("\tat ", "Exception in thread");
        assertThat(Files.size(picture)).isLessThan(1 << 20);
    }
}
