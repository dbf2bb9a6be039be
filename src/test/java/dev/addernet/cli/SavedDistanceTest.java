package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.io.Json;
import dev.addernet.models.WeightsFile;
import dev.addernet.train.SyntheticIdx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An L2 or Lp AdderNet is only right at the p it was trained to (Universal AdderNets Eq. 26): the weights
 * file holds that p, so {@code eval} of {@code model.safetensors} reproduces exactly the test accuracy and
 * loss of the last epoch the trainer printed.
 */
class SavedDistanceTest {
    @TempDir static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws Exception {
        data = SyntheticIdx.write(tmp.resolve("data"), 256, 128, 2);
    }

    /** Trains with the extra options, then returns the last metrics line after checking eval against it. */
    private static JsonNode trainThenEval(String name, String... options) throws Exception {
        Path dir = tmp.resolve(name);
        List<String> args = Stream.concat(Stream.of("train", "--dataset", "mnist", "--data-dir", data.toString(), "--batch", "64",
                "--threads", "2", "--out", dir.toString()), Stream.of(options)).toList();
        CliRun train = CliRun.of(args.toArray(String[]::new));
        assertThat(train.code()).as(train.err()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        JsonNode last = Json.mapper().readTree(lines.getLast());

        CliRun eval = CliRun.of("eval", "--weights", dir.resolve("model.safetensors").toString(), "--data-dir", data.toString(),
                "--threads", "2", "--json");
        assertThat(eval.code()).as(eval.err()).isZero();
        JsonNode e = Json.mapper().readTree(eval.out());
        assertThat(e.get("test_acc").asDouble()).isEqualTo(last.get("test_acc").asDouble());
        assertThat(e.get("loss").asDouble()).isEqualTo(last.get("test_loss").asDouble());
        assertThat(WeightsFile.load(dir.resolve("model.safetensors")).config().p()).isCloseTo((float) last.get("p").asDouble(), within(1e-6f));
        return last;
    }

    @Test
    void l2AdderNet() throws Exception {
        JsonNode last = trainThenEval("l2", "--epochs", "1", "--lp-start", "2", "--lp-end", "2");
        assertThat(last.get("p").asDouble()).isEqualTo(2.0);
        CliRun summary = CliRun.of("summary", "--weights", tmp.resolve("l2/model.safetensors").toString());
        assertThat(summary.out()).contains("Adder2d(6->16, k5 s1 p0, L2)");
    }

    @Test
    void lpAdderNetStoppedWhilePIsAboveOne() throws Exception {
        // p from 2 to 1 over 3 epochs, stopped after the first: the file is at p = 2 - 1/3
        JsonNode last = trainThenEval("lp", "--epochs", "3", "--lp-start", "2", "--lp-end", "1", "--lp-epochs", "3", "--stop-after", "1");
        assertThat(last.get("p").asDouble()).isCloseTo(5.0 / 3, within(1e-12));
    }
}
