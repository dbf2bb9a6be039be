package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.train.SyntheticIdx;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job without --out, run again and resumed: child JVMs, since the default folders are
 * relative to the current folder, which a test cannot change in its own JVM.
 */
class CliDefaultRunFolderTest {
    @TempDir Path tmp;

    record Result(int code, String out) {}

    Result addernet(String... args) throws Exception {
        Process p = new ProcessBuilder(CliRun.childCommand(List.of(args))).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out.txt").toFile()).start();
        p.getOutputStream().close();
        int code = p.waitFor();
        return new Result(code, Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void aRepeatedRunTakesTheNextFolderAndResumeTheLatest() throws Exception {
        String data = SyntheticIdx.write(tmp.resolve("data"), 128, 32, 5).toAbsolutePath().toString();
        String first = "runs" + File.separator + "lenet5-adder-fashion-mnist-s0";

        // an earlier run of the same command (what makes a folder hold a run: its config.json)
        Files.createDirectories(tmp.resolve(first));
        Files.writeString(tmp.resolve(first).resolve("config.json"), "{}");

        Result a = addernet("train", "--data-dir", data, "--epochs", "2", "--stop-after", "1", "--batch", "64", "--threads", "1");
        assertThat(a.code()).as(a.out()).isZero();
        assertThat(a.out()).contains("run folder " + first + "-2 (the first of " + first + ", ");

        Result b = addernet("train", "--resume");
        assertThat(b.code()).as(b.out()).isZero();
        assertThat(b.out()).contains("resuming the latest default run folder " + first + "-2 ");
        assertThat(tmp.resolve(first).resolve("config.json")).hasContent("{}");
        assertThat(Files.readAllLines(tmp.resolve(first + "-2").resolve("metrics.jsonl"))).hasSize(2);
    }
}
