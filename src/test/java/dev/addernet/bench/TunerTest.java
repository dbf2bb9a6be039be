package dev.addernet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.cli.CliRun;
import dev.addernet.io.Json;
import dev.addernet.kernel.Blocking;
import dev.addernet.kernel.ConvShape;
import dev.addernet.kernel.Parallel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** addernet tune: every layer and pass of the model tried at every candidate width, and the file written. */
class TunerTest {
    @TempDir Path dir;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void tuningLeNetTriesEveryLayerAndPassAndWritesTheFile() throws Exception {
        Path file = dir.resolve("t.json");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Tuner.run(List.of("lenet5"), 2, 1, 0.002, file, new PrintStream(log, true));
        JsonNode root = Json.readTree(file);
        // LeNet-5-BN: two conv layers as AdderNet (the first full precision in both builds) and the same as CNN.
        var layers = new java.util.LinkedHashMap<String, Map.Entry<dev.addernet.kernel.Op, ConvShape>>();
        layers.putAll(Tuner.layers("lenet5", "adder", 2));
        layers.putAll(Tuner.layers("lenet5", "conv", 2));
        assertThat(layers).hasSizeGreaterThanOrEqualTo(3);
        assertThat(root.path("trial_seconds").size()).isEqualTo(2 * layers.size());
        for (var layer : layers.values()) {
            for (Blocking.Phase phase : Blocking.Phase.values()) {
                String key = Blocking.key(layer.getKey(), layer.getValue(), phase);
                JsonNode trials = root.path("trial_seconds").path(key);
                int derived = Blocking.derivedColumns(layer.getKey(), phase, Blocking.packedRows(layer.getValue(), phase));
                assertThat(trials.size()).as(key).isEqualTo(Tuner.candidates(layer.getValue(), derived).size());
                assertThat(trials.path(Integer.toString(derived)).asDouble()).as(key).isPositive();
                JsonNode chosen = root.path("widths").path(key);
                if (!chosen.isMissingNode()) {
                    // Kept only when faster than the derived width by the margin.
                    assertThat(trials.path(chosen.asText()).asDouble() * (1 + Tuner.MARGIN)).isLessThan(trials.path(Integer.toString(derived)).asDouble());
                }
            }
        }
        assertThat(log.toString()).contains("[1/" + 2 * layers.size() + "]").contains("wrote " + file);
    }

    @Test
    void candidatesAreWholeTilesUpToTheCallAndIncludeTheDerivedWidth() {
        ConvShape s = new ConvShape(2, 16, 8, 8, 16, 3, 1, 1); // 128 columns in the whole call
        var c = Tuner.candidates(s, 7 * Blocking.tileColumns());
        assertThat(c).contains(Blocking.tileColumns(), 7 * Blocking.tileColumns()).allMatch(w -> w % Blocking.tileColumns() == 0);
        assertThat(c.last()).isLessThan(2 * Math.max(128, 7 * Blocking.tileColumns()) + 1);
    }

    @Test
    void anUnknownModelIsAOneLineError() {
        CliRun r = CliRun.of("tune", "--model", "resnet21", "--out", dir.resolve("x.json").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("resnet21").contains("resnet20");
        assertThat(dir.resolve("x.json")).doesNotExist();
    }
}
