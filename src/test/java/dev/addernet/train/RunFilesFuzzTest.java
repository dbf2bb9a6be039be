package dev.addernet.train;

import dev.addernet.fuzz.Fuzz;
import dev.addernet.io.Json;
import dev.addernet.method.lp.LpSettings;
import dev.addernet.method.plain.PlainSettings;
import dev.addernet.nn.Linear;
import dev.addernet.nn.Module;
import dev.addernet.kernel.Op;
import dev.addernet.optim.Sgd;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What --resume reads from a run folder (config.json, metrics.jsonl, the checkpoint), mutated (see {@link Fuzz}). */
class RunFilesFuzzTest {
    @TempDir Path tmp;

    static final List<byte[]> JSON_TOKENS = Fuzz.tokens("{", "}", "[", "]", ",", ":", "\"", "null", "true", "NaN", "-Infinity", "1e999",
            "-1", "0", "2147483648", "\"x\"", "\"config\"", "\"method\"", "\"name\"", "\"lp\"", "\"epoch\"", "\"momentum\"", "\\u0000", "\n");

    static TrainConfig config(String model, int epochs, Object method) {
        return new TrainConfig(model, "adder", null, "mnist", null, epochs, 64, 0.1, "cosine", "nesterov", 0.9, 5e-4, 0.2, true, 3, 1,
                0.1, 0, 0, null, 0, "linear", (dev.addernet.method.MethodSettings) method, 0);
    }

    @Test
    void configJson() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (TrainConfig c : List.of(config("lenet5", 5, new PlainSettings()), config("resnet20", 400, new LpSettings(2, 1, 3.0, true)))) {
            Path f = tmp.resolve("seed.json");
            Json.write(f, Map.of("config", c, "provenance", Map.of("git", "abc")));
            seeds.add(Files.readAllBytes(f));
        }
        // a config.json of before the training methods: Lp fields, no method
        seeds.add(("{\"config\": {\"model\": \"lenet5\", \"op\": \"adder\", \"dataset\": \"mnist\", \"epochs\": 2, \"batch\": 64,"
                + " \"lr\": 0.1, \"schedule\": \"cosine\", \"optimizer\": \"sgd\", \"momentum\": 0.9, \"weightDecay\": 0.0005, \"eta\": 0.2,"
                + " \"alr\": true, \"seed\": 0, \"threads\": 1, \"valSplit\": 0, \"limitTrain\": 0, \"limitTest\": 0, \"lpStart\": 2,"
                + " \"lpEnd\": 1, \"lpClip\": true}}").getBytes());
        Fuzz.check(new Fuzz.Target("config-json", "run/config.json", seeds, JSON_TOKENS, 512, 4 << 20,
                file -> Trainer.savedConfig(file.getParent())), tmp.resolve("fuzz"));
    }

    @Test
    void metricsJsonl() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int e = 1; e <= 3; e++) {
            log.append(Json.toJson(new EpochMetrics(e, 1.0 / e, 0.5, e == 2 ? null : 0.4, 0.45, 1.2, 0.1, 12.5, 900, Map.of("p", 2.0 - e / 3.0)).toJson()))
                    .append('\n');
        }
        Fuzz.check(new Fuzz.Target("metrics-jsonl", "run/metrics.jsonl", List.of(log.toString().getBytes()), JSON_TOKENS, 512, 4 << 20,
                file -> MetricsLog.read(new RunFolder(file.getParent()), 2)), tmp.resolve("fuzz"));
    }

    static Module model() {
        return new Linear(Op.CONV, 4, 3, true, new Rng(1));
    }

    @Test
    void checkpoint() throws Exception {
        Module m = model();
        Sgd opt = new Sgd(m.parameters(), 0.9, true, 5e-4, 0.2, true);
        opt.velocity().put("weight", new float[12]);
        Path f = tmp.resolve("seed.safetensors");
        new Checkpoint(2, 0.5, 1).save(f, m, Map.of("alpha", new Tensor(new float[] {1, 2}, 2)), opt);
        Fuzz.check(new Fuzz.Target("checkpoint", "run/state.safetensors", List.of(Files.readAllBytes(f)),
                Fuzz.tokens("\"epochs_done\"", "\"best_val\"", "\"-1\"", "\"NaN\"", "\"model.weight\"", "\"velocity.x\"", "\"method.alpha\"",
                        "\"F32\"", "[3, 4]", "{", "}"), 64, 4 << 20,
                file -> {
                    Module fresh = model();
                    Checkpoint.restore(file, fresh, Map.of("alpha", new Tensor(new float[2], 2)),
                            new Sgd(fresh.parameters(), 0.9, true, 5e-4, 0.2, true));
                }), tmp.resolve("fuzz"));
    }
}
