package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.models.WeightsFile;
import dev.addernet.train.SyntheticIdx;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code train}'s options become in the run: the model they build. */
class TrainOptionsTest {
    @TempDir static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws Exception {
        data = SyntheticIdx.write(tmp.resolve("data"), 128, 64, 3);
    }

    /** Trains on the synthetic set with the given options; returns the run folder. */
    static Path train(String name, String... options) {
        Path dir = tmp.resolve(name);
        String[] args = Stream.concat(Stream.of("train", "--dataset", "mnist", "--data-dir", data.toString(), "--threads", "2",
                "--out", dir.toString()), Stream.of(options)).toArray(String[]::new);
        CliRun r = CliRun.of(args);
        assertThat(r.code()).as(r.err()).isZero();
        return dir;
    }

    @Test
    void lenetppFeatureDimension() throws Exception {
        Path dir = train("lenetpp-3", "--model", "lenetpp", "--op", "conv", "--feature-dim", "3", "--epochs", "1", "--batch", "64");
        WeightsFile.Loaded w = WeightsFile.load(dir.resolve("model.safetensors"));
        assertThat(w.config().featureDim()).isEqualTo(3);
        assertThat(w.model().state().get("fc1.weight").shape()).containsExactly(3, 128 * 3 * 3);
        assertThat(w.model().state().get("fc2.weight").shape()).containsExactly(10, 3);
    }
}
