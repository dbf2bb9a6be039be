package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code addernet toy} through the command line: its --json, results.json and figure; bad options. */
class ToyCommandTest {
    @TempDir Path tmp;

    @Test
    void jsonResultsFileAndFigure() throws Exception {
        Path out = tmp.resolve("toy");
        CliRun r = CliRun.of("toy", "--task", "linear", "--hidden", "2,1", "--iterations", "200", "--seed", "3",
                "--out", out.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = Json.mapper().readTree(r.out());
        assertThat(j.get("task").asText()).isEqualTo("linear");
        JsonNode results = j.get("results");
        assertThat(results).hasSize(4);
        // fc rows first, hidden units in increasing order, exactly the specified keys, fractions
        String[] ops = {"fc", "fc", "adder", "adder"};
        int[] hidden = {1, 2, 1, 2};
        for (int i = 0; i < 4; i++) {
            JsonNode e = results.get(i);
            assertThat(e.get("op").asText()).isEqualTo(ops[i]);
            assertThat(e.get("hidden").asInt()).isEqualTo(hidden[i]);
            assertThat(e.get("accuracy").asDouble()).isBetween(0.0, 1.0);
            assertThat(e.get("heldout_accuracy").asDouble()).isBetween(0.0, 1.0);
            assertThat(e.properties()).hasSize(4);
        }
        JsonNode file = Json.readTree(out.resolve("results.json"));
        assertThat(file.get("iterations").asInt()).isEqualTo(200);
        assertThat(file.get("seed").asInt()).isEqualTo(3);
        assertThat(file.get("results").get(3).get("accuracy").asDouble()).isEqualTo(results.get(3).get("accuracy").asDouble());
        // the same seed reproduces each network's numbers exactly, also when trained without the others
        Path adderOnly = tmp.resolve("adder-only");
        CliRun again = CliRun.of("toy", "--task", "linear", "--hidden", "1,2", "--iterations", "200", "--seed", "3",
                "--op", "adder", "--out", adderOnly.toString(), "--json");
        JsonNode adder = Json.mapper().readTree(again.out()).get("results");
        assertThat(adder).hasSize(2);
        assertThat(adder.get(0)).isEqualTo(results.get(2));
        assertThat(adder.get(1)).isEqualTo(results.get(3));
        // the figure: a row per network type (one row here), a column per n (two in both)
        var both = ImageIO.read(out.resolve("linear.png").toFile());
        var one = ImageIO.read(adderOnly.resolve("linear.png").toFile());
        assertThat(one.getWidth()).isEqualTo(both.getWidth());
        assertThat(one.getHeight()).isLessThan(both.getHeight() * 3 / 4);
    }

    @Test
    void badOptionsAreOneLineErrors() {
        CliRun task = CliRun.of("toy", "--task", "ring", "--out", tmp.toString());
        assertThat(task.code()).isEqualTo(2);
        assertThat(task.err().strip()).isEqualTo("error: unknown toy task 'ring': expected unit-ball, multi-ball, linear");
        CliRun op = CliRun.of("toy", "--op", "conv", "--out", tmp.toString());
        assertThat(op.err().strip()).isEqualTo("error: --op: unknown 'conv', expected adder, fc or both");
        CliRun hidden = CliRun.of("toy", "--hidden", "0", "--out", tmp.toString());
        assertThat(hidden.err().strip()).isEqualTo("error: --hidden: 0 hidden units, expected 1 to 1000");
        assertThat(Files.exists(tmp.resolve("results.json"))).isFalse();
    }
}
