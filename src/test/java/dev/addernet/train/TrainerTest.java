package dev.addernet.train;

import dev.addernet.method.lp.LpSettings;
import dev.addernet.method.plain.PlainSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.io.Json;
import dev.addernet.io.SafeTensors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws Exception {
        data = SyntheticIdx.write(tmp.resolve("data"), 768, 256, 7);
    }

    static TrainConfig config(String op, int epochs, double lr) {
        return new TrainConfig("lenet5", op, null, "mnist", data.toString(), epochs, 64, lr, "cosine", "nesterov", 0.9,
                5e-4, 0.2, true, 3, 2, 0.0, 0, 0, null, 0, null, new PlainSettings(), 0);
    }

    static Map<String, Object> train(TrainConfig cfg, Path dir, boolean resume, int stopAfter) throws Exception {
        return new Trainer(cfg, dir, new PrintStream(new ByteArrayOutputStream()), listeners()).run(resume, stopAfter, Map.of("test", true));
    }

    /** What the command line attaches to a run. */
    static List<TrainingListener> listeners() {
        return List.of(new MetricsLog(), new CheckpointWriter(), new dev.addernet.analysis.CurvesPlot());
    }

    @Test
    void bothNetworksLearnTheSyntheticRule() throws Exception {
        for (String op : List.of("conv", "adder")) {
            Map<String, Object> s = train(config(op, 4, 0.1), tmp.resolve("learn-" + op), false, 0);
            assertThat((double) s.get("final_test_acc")).as(op).isGreaterThan(0.8);
        }
    }

    @Test
    void runFolderHoldsEveryFile() throws Exception {
        Path dir = tmp.resolve("files");
        train(config("adder", 2, 0.1), dir, false, 0);
        for (String f : List.of("config.json", "metrics.jsonl", "summary.json", "model.safetensors", "checkpoint/state.safetensors", "curves.png")) {
            assertThat(dir.resolve(f)).as(f).isNotEmptyFile();
        }
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(2);
        JsonNode first = Json.mapper().readTree(lines.get(0));
        for (String k : List.of("epoch", "train_loss", "train_acc", "test_acc", "lr", "seconds", "images_per_sec")) {
            assertThat(first.has(k)).as(k).isTrue();
        }
        JsonNode summary = Json.readTree(dir.resolve("summary.json"));
        for (String k : List.of("final_test_acc", "best_test_acc", "epochs", "model", "op", "dataset")) {
            assertThat(summary.has(k)).as(k).isTrue();
        }
        JsonNode config = Json.readTree(dir.resolve("config.json"));
        assertThat(config.at("/provenance/test").asBoolean()).isTrue();
        assertThat(SafeTensors.read(dir.resolve("model.safetensors")).metadata()).containsKey("config");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    @Test
    void resumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws Exception {
        Path whole = tmp.resolve("whole"), split = tmp.resolve("split");
        train(config("adder", 3, 0.1), whole, false, 0);
        train(config("adder", 3, 0.1), split, false, 1);
        assertThat(Files.readAllLines(split.resolve("metrics.jsonl"))).hasSize(1);
        train(Trainer.savedConfig(split), split, true, 1);
        train(Trainer.savedConfig(split), split, true, 0);

        SafeTensors a = SafeTensors.read(whole.resolve("model.safetensors")), b = SafeTensors.read(split.resolve("model.safetensors"));
        assertThat(b.names()).containsExactlyElementsOf(a.names());
        for (String name : a.names()) assertThat(b.floats(name)).as(name).containsExactly(a.floats(name));
        SafeTensors ca = SafeTensors.read(whole.resolve("checkpoint/state.safetensors"));
        SafeTensors cb = SafeTensors.read(split.resolve("checkpoint/state.safetensors"));
        for (String name : ca.names()) assertThat(cb.floats(name)).as(name).containsExactly(ca.floats(name));
        assertThat(Files.readAllLines(split.resolve("metrics.jsonl"))).hasSize(3);
    }

    static TrainConfig withValSplit(TrainConfig c, double valSplit) {
        return new TrainConfig(c.model(), c.op(), c.firstLast(), c.dataset(), c.dataDir(), c.epochs(), c.batch(), c.lr(),
                c.schedule(), c.optimizer(), c.momentum(), c.weightDecay(), c.eta(), c.alr(), c.seed(), c.threads(), valSplit, 0, 0,
                null, 0, null, c.method(), c.shards());
    }

    /**
     * The test set here is labelled all 0, so it rewards exactly the network that has learned nothing; the
     * weights are zeroed at the end of the last epoch, which makes that epoch the best on the test set and
     * the worst on the validation set. The epoch kept must be the best on validation, and model.safetensors
     * must hold that epoch's weights.
     */
    @Test
    void validationSplitSelectsTheBestEpoch() throws Exception {
        Path zeroTest = SyntheticIdx.write(tmp.resolve("data-test-all-0"), 768, 256, 7);
        byte[] labels = Files.readAllBytes(zeroTest.resolve("t10k-labels-idx1-ubyte"));
        java.util.Arrays.fill(labels, 8, labels.length, (byte) 0);
        Files.write(zeroTest.resolve("t10k-labels-idx1-ubyte"), labels);
        TrainConfig cfg = withValSplit(config("conv", 3, 0.1), 0.25).withDataDir(zeroTest.toString());

        List<Map<String, float[]>> atEpochEnd = new java.util.ArrayList<>();
        Trainer.hook = (epoch, step, steps, model) -> {
            if (step != steps - 1) return;
            if (epoch == 2) model.parameters().values().forEach(p -> java.util.Arrays.fill(p.data, 0f));
            Map<String, float[]> copy = new java.util.LinkedHashMap<>();
            model.state().forEach((name, t) -> copy.put(name, t.data.clone()));
            atEpochEnd.add(copy);
        };
        Map<String, Object> s;
        try {
            s = train(cfg, tmp.resolve("val"), false, 0);
        } finally {
            Trainer.hook = null;
        }

        List<JsonNode> metrics = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("val/metrics.jsonl"))) metrics.add(Json.mapper().readTree(line));
        double[] val = metrics.stream().mapToDouble(m -> m.get("val_acc").asDouble()).toArray();
        double[] test = metrics.stream().mapToDouble(m -> m.get("test_acc").asDouble()).toArray();
        assertThat(test[2]).as("the zeroed network predicts class 0 for every image").isEqualTo(1.0);
        int bestVal = 0;
        for (int e = 1; e < 3; e++) if (val[e] > val[bestVal]) bestVal = e;
        assertThat(bestVal).as("validation accuracies %s", java.util.Arrays.toString(val)).isNotEqualTo(2);

        assertThat(s).containsEntry("selected_epoch", bestVal + 1).containsEntry("best_val_acc", val[bestVal])
                .containsEntry("selected_test_acc", test[bestVal]);
        SafeTensors kept = SafeTensors.read(tmp.resolve("val/model.safetensors"));
        assertThat(kept.names()).containsExactlyInAnyOrderElementsOf(atEpochEnd.get(bestVal).keySet());
        atEpochEnd.get(bestVal).forEach((name, w) -> assertThat(kept.floats(name)).as(name).containsExactly(w));
    }

    @Test
    void validationSplitHoldingOutNoImageIsRefused() {
        assertThatThrownBy(() -> train(withValSplit(config("conv", 1, 0.1), 0.0005), tmp.resolve("val-none"), false, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--val-split 5.0E-4 holds out 0 of the 768");
    }

    @Test
    void lpAdderNetDecaysPEveryStepAndLearns() throws Exception {
        TrainConfig c = config("adder", 6, 0.1);
        TrainConfig lp = c.withMethod(new LpSettings(2.0, 1.0, 3.0, true));
        Map<String, Object> s = train(lp, tmp.resolve("lp"), false, 0);
        assertThat((double) s.get("final_test_acc")).isGreaterThan(0.8);
        List<String> lines = Files.readAllLines(tmp.resolve("lp/metrics.jsonl"));
        double[] p = lines.stream().mapToDouble(l -> {
            try {
                return Json.mapper().readTree(l).get("p").asDouble();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toArray();
        // the metrics record the p each epoch ends at, which its test accuracy is measured with: 2 - (e + 1) / 3, then 1
        for (int e = 0; e < 2; e++) assertThat(p[e]).isCloseTo(2 - (e + 1) / 3.0, org.assertj.core.data.Offset.offset(1e-9));
        for (int e = 2; e < 6; e++) assertThat(p[e]).isEqualTo(1.0);
    }

    @Test
    void refusesToOverwriteAnExistingRun() throws Exception {
        Path dir = tmp.resolve("twice");
        train(config("conv", 1, 0.1), dir, false, 0);
        assertThatThrownBy(() -> train(config("conv", 1, 0.1), dir, false, 0)).hasMessageContaining("--resume");
    }

    @Test
    void divergenceStopsWithAClearMessage() {
        assertThatThrownBy(() -> train(config("conv", 1, 1e30), tmp.resolve("nan"), false, 0))
                .isInstanceOf(TrainingDiverged.class).hasMessageContaining("loss became");
    }
}
