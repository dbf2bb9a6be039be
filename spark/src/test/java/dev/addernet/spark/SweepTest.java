package dev.addernet.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
    @TempDir Path tmp;

    @Test
    void everyCombinationIsOneRunNamedAfterItsValues() throws Exception {
        Path file = tmp.resolve("grid.json");
        Files.writeString(file, "{\"op\": [\"adder\", \"conv\"], \"epochs\": 3, \"seed\": [0, 1]}");
        Map<String, List<String>> grid = Sweep.grid(file, List.of("seed=4,5,6", "no-alr=true,false"));
        List<Sweep.Run> runs = Sweep.runs(grid);
        assertThat(runs).hasSize(2 * 3 * 2);
        assertThat(runs.get(0)).isEqualTo(new Sweep.Run("op-adder_epochs-3_seed-4_no-alr-true",
                List.of("--op", "adder", "--epochs", "3", "--seed", "4", "--no-alr")));
        assertThat(runs.get(11)).isEqualTo(new Sweep.Run("op-conv_epochs-3_seed-6_no-alr-false", List.of("--op", "conv", "--epochs", "3", "--seed", "6")));
    }

    @Test
    void badGridsAreOneLineErrors() throws Exception {
        assertThatThrownBy(() -> Sweep.grid(null, List.of())).hasMessage("nothing to sweep: give --grid FILE or --set KEY=VALUES");
        assertThatThrownBy(() -> Sweep.grid(null, List.of("seed"))).hasMessage("--set must be KEY=VALUE[,VALUE...], got 'seed'");
        assertThatThrownBy(() -> Sweep.grid(null, List.of("--seed=1"))).hasMessageStartingWith("sweep key '--seed' must be an option name without dashes");
        assertThatThrownBy(() -> Sweep.grid(null, List.of("out=a,b"))).hasMessageStartingWith("sweep key 'out' is set by the sweep itself");
        assertThatThrownBy(() -> Sweep.grid(null, List.of("seed=1,,2"))).hasMessage("sweep key 'seed' has an empty value");
        assertThatThrownBy(() -> Sweep.grid(null, List.of("threads=1,2"))).hasMessageStartingWith("sweep key 'threads' must have one value");
        Path file = tmp.resolve("bad.json");
        Files.writeString(file, "[1, 2]");
        assertThatThrownBy(() -> Sweep.grid(file, List.of())).hasMessageContaining("expected a JSON object of option names to values, got ARRAY");
    }

    @Test
    void aSweepTrainsWhatIsLeftAndReportsEveryRun() throws Exception {
        Path out = tmp.resolve("sweep");
        List<String> common = List.of("--limit-train", "128", "--limit-test", "64", "--epochs", "2", "--dataset", "fashion-mnist");
        // one run stopped after its first epoch, as an interrupted sweep leaves it
        Path adder = out.resolve("op-adder_seed-0_limit-train-128_limit-test-64_epochs-2_dataset-fashion-mnist_threads-1");
        List<String> partial = new java.util.ArrayList<>(List.of("train", "--op", "adder", "--seed", "0", "--threads", "1", "--stop-after", "1",
                "--out", adder.toString()));
        partial.addAll(common);
        assertThat(dev.addernet.cli.Main.run(partial.toArray(String[]::new))).isZero();
        String[] args = {"sweep", "--master", "local[2]", "--out", out.toString(), "--set", "op=adder,conv", "--set", "seed=0",
                "--set", "limit-train=128", "--set", "limit-test=64", "--set", "epochs=2", "--set", "dataset=fashion-mnist"};
        String first = captured(args);
        assertThat(first).contains("sweep: 2 runs of train").contains("resuming " + adder + " after epoch 1 of 2")
                .contains("sweep: trained: " + adder).containsPattern("sweep: trained: .*op-conv_seed-0");
        assertThat(Files.readString(out.resolve("report.md"))).contains("| lenet5 | adder |").contains("| lenet5 | conv |");
        String again = captured(args);
        assertThat(again).contains("sweep: skipped (complete): " + adder).containsPattern("sweep: skipped \\(complete\\): .*op-conv_seed-0")
                .contains("lenet5").contains("conv");
    }

    /** What the command printed on standard output (its exit code is checked by the caller's expectations). */
    static String captured(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true));
        try {
            SparkMain.run(args);
        } finally {
            System.setOut(saved);
        }
        String s = bytes.toString();
        saved.print(s);
        return s;
    }
}
