package dev.addernet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.io.Json;
import dev.addernet.io.SafeTensors;
import dev.addernet.method.MethodSettings;
import dev.addernet.method.margin.GaussianMarginSettings;
import dev.addernet.method.margin.LSoftmaxSettings;
import dev.addernet.method.slac.SlacSettings;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
import dev.addernet.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heads through the training loop: each method's run is checkpointed and resumed bit-exactly after a
 * crash mid-epoch (L-Softmax's step count for its lambda included), the weights file rebuilds the head from
 * its configuration alone, config.json reads back the method, and a frozen SLAC parameter keeps its
 * initialisation while the others move.
 */
class HeadTrainingTest {
    @TempDir static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws Exception {
        data = SyntheticIdx.write(tmp.resolve("data"), 256, 64, 5);
    }

    @AfterEach
    void removeHook() {
        Trainer.hook = null;
    }

    static TrainConfig config(String head, MethodSettings method) {
        return new TrainConfig("lenet5", "adder", null, "mnist", data.toString(), 2, 64, 0.1, "cosine", "nesterov", 0.9,
                5e-4, 0.2, true, 3, 1, 0.0, 0, 0, null, 0, head, method, 0);
    }

    static void train(TrainConfig cfg, Path dir, boolean resume) throws IOException {
        new Trainer(cfg, dir, new PrintStream(new ByteArrayOutputStream()), TrainerTest.listeners()).run(resume, 0, Map.of());
    }

    private void killedAndResumedIsExact(String head, MethodSettings method, String... stateNames) throws Exception {
        TrainConfig cfg = config(head, method);
        Path whole = tmp.resolve(head + "-whole"), killed = tmp.resolve(head + "-killed");
        train(cfg, whole, false);
        Trainer.hook = (epoch, step, steps, model) -> {
            if (epoch == 1 && step == 1) throw new IllegalStateException("killed");
        };
        assertThatThrownBy(() -> train(cfg, killed, false)).hasMessage("killed");
        Trainer.hook = null;
        train(Trainer.savedConfig(killed), killed, true);

        SafeTensors a = SafeTensors.read(whole.resolve("checkpoint/state.safetensors"));
        SafeTensors b = SafeTensors.read(killed.resolve("checkpoint/state.safetensors"));
        assertThat(a.names()).contains(stateNames);
        assertThat(b.names()).containsExactlyInAnyOrderElementsOf(a.names());
        for (String name : a.names()) assertThat(b.floats(name)).as(name).containsExactly(a.floats(name));
        assertThat(Trainer.savedConfig(killed)).isEqualTo(cfg);

        // the weights file alone rebuilds the head, with the trained values (the checkpoint's copy of the network)
        WeightsFile.Loaded w = WeightsFile.load(whole.resolve("model.safetensors"));
        assertThat(w.config().head()).isEqualTo(head);
        assertThat(w.model().children()).containsKey("head");
        w.model().state().forEach((name, t) -> assertThat(t.data).as(name).containsExactly(a.floats("model." + name)));
        Tensor logits = w.model().train(false).forward(Tensor.zeros(2, 1, 32, 32));
        assertThat(logits.shape()).containsExactly(2, w.config().numClasses());
    }

    @Test
    void slac() throws Exception {
        killedAndResumedIsExact("slac", new SlacSettings(0.01, 0.1, 0.01, List.of(), false),
                "model.head.mu", "model.head.log_sigma", "model.head.gamma", "velocity.head.log_sigma", "velocity.conv1.weight");
    }

    @Test
    void lsoftmaxKeepsItsStepCount() throws Exception {
        killedAndResumedIsExact("lsoftmax", LSoftmaxSettings.defaults(2), "method.lsoftmax_steps", "model.head.weight");
        SafeTensors st = SafeTensors.read(tmp.resolve("lsoftmax-killed/checkpoint/state.safetensors"));
        assertThat(st.floats("method.lsoftmax_steps")).containsExactly(8f); // 2 epochs of 256 / 64
    }

    @Test
    void mom() throws Exception {
        killedAndResumedIsExact("mom", new GaussianMarginSettings(0.1, 0.1, 0.01), "model.head.mu", "velocity.head.mu");
        assertThat(Json.readTree(tmp.resolve("mom-whole/summary.json")).get("method").asText()).isEqualTo("lgm");
    }

    @Test
    void aFrozenParameterKeepsItsInitialisation() throws Exception {
        Path dir = tmp.resolve("frozen");
        train(config("slac", new SlacSettings(0.01, 0.1, 0.01, List.of("sigma"), false)), dir, false);
        SafeTensors st = SafeTensors.read(dir.resolve("model.safetensors"));
        assertThat(st.floats("head.log_sigma")).containsOnly(0f);
        assertThat(st.floats("head.gamma")).as("gamma trains").isNotEqualTo(new float[st.floats("head.gamma").length]);
        var init = Models.build(WeightsFile.load(dir.resolve("model.safetensors")).config(), 3);
        assertThat(st.floats("head.mu")).as("mu trains").isNotEqualTo(init.state().get("head.mu").data);
    }
}
