package dev.addernet.train;

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
                5e-4, 0.2, true, 3, 2, 0.0, 0, 0, null, null, null, null, null, 0);
    }

    static Map<String, Object> train(TrainConfig cfg, Path dir, boolean resume, int stopAfter) throws Exception {
        return new Trainer(cfg, dir, new PrintStream(new ByteArrayOutputStream())).run(resume, stopAfter, Map.of("test", true));
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

    @Test
    void validationSplitSelectsTheBestEpoch() throws Exception {
        TrainConfig c = config("conv", 2, 0.1);
        TrainConfig withVal = new TrainConfig(c.model(), c.op(), c.firstLast(), c.dataset(), c.dataDir(), c.epochs(), c.batch(), c.lr(),
                c.schedule(), c.optimizer(), c.momentum(), c.weightDecay(), c.eta(), c.alr(), c.seed(), c.threads(), 0.25, 0, 0,
                null, null, null, null, null, 0);
        Map<String, Object> s = train(withVal, tmp.resolve("val"), false, 0);
        assertThat(s).containsKeys("best_val_acc", "selected_epoch", "selected_test_acc");
        assertThat(Files.readAllLines(tmp.resolve("val/metrics.jsonl")).get(0)).contains("val_acc");
    }

    @Test
    void lpAdderNetDecaysPEveryStepAndLearns() throws Exception {
        TrainConfig c = config("adder", 6, 0.1);
        TrainConfig lp = new TrainConfig(c.model(), c.op(), c.firstLast(), c.dataset(), c.dataDir(), c.epochs(), c.batch(), c.lr(),
                c.schedule(), c.optimizer(), c.momentum(), c.weightDecay(), c.eta(), c.alr(), c.seed(), c.threads(), 0, 0, 0,
                2.0, 1.0, 3.0, null, null, 0);
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
