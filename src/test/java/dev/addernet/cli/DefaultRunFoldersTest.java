package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultRunFoldersTest {
    @TempDir Path tmp;

    static void startRun(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{}");
    }

    @Test
    void newRunsTakeTheNextFreeFolderAndResumeTheLatest() throws Exception {
        Path base = tmp.resolve("runs/lenet5-adder-fashion-mnist-s0");
        assertThat(DefaultRunFolders.next(base)).isEqualTo(base);
        assertThat(DefaultRunFolders.latest(base)).isNull();

        startRun(base);
        assertThat(DefaultRunFolders.next(base)).isEqualTo(tmp.resolve("runs/lenet5-adder-fashion-mnist-s0-2"));
        assertThat(DefaultRunFolders.latest(base)).isEqualTo(base);

        startRun(tmp.resolve("runs/lenet5-adder-fashion-mnist-s0-2"));
        assertThat(DefaultRunFolders.next(base)).isEqualTo(tmp.resolve("runs/lenet5-adder-fashion-mnist-s0-3"));
        assertThat(DefaultRunFolders.latest(base)).isEqualTo(tmp.resolve("runs/lenet5-adder-fashion-mnist-s0-2"));
    }

    @Test
    void aFolderWithoutConfigHoldsNoRun() throws Exception {
        Path base = tmp.resolve("runs/x-s1");
        Files.createDirectories(base);
        assertThat(DefaultRunFolders.next(base)).isEqualTo(base);
        assertThat(DefaultRunFolders.latest(base)).isNull();
    }
}
