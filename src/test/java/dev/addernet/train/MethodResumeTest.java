package dev.addernet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.autograd.Add;
import dev.addernet.autograd.CrossEntropy;
import dev.addernet.autograd.Detach;
import dev.addernet.io.Json;
import dev.addernet.io.SafeTensors;
import dev.addernet.method.BatchLoss;
import dev.addernet.method.Evaluator;
import dev.addernet.method.MethodContext;
import dev.addernet.method.MethodSettings;
import dev.addernet.method.TrainingMethod;
import dev.addernet.method.pkkd.PkkdSettings;
import dev.addernet.method.plain.PlainSettings;
import dev.addernet.nn.Linear;
import dev.addernet.nn.Module;
import dev.addernet.kernel.Op;
import dev.addernet.optim.ParameterGroup;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training method with a module of its own, as a distillation or a head has: a linear probe on the
 * network's detached logits, trained by its own cross-entropy in its own parameter group. Through the
 * loop it must be checkpointed (its weights and momentum), resumed exactly after a crash mid-epoch, and
 * its values recorded; its loss term must not train the network.
 */
class MethodResumeTest {
    @TempDir static Path tmp;
    static Path data;

    /** The probe's settings; not registered with {@link MethodSettings}, so the run is resumed from the object, not config.json. */
    record ProbeSettings() implements MethodSettings {
        @Override
        public TrainingMethod create(MethodContext context) {
            return new ProbeMethod(context.network().numClasses(), context.seed());
        }
    }

    static final class ProbeMethod implements TrainingMethod {
        final Linear probe;
        Module network;

        ProbeMethod(int classes, long seed) {
            probe = new Linear(Op.CONV, classes, classes, true, Rng.derive(seed, 99));
        }

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public List<ParameterGroup> parameterGroups(Module network) {
            this.network = network;
            Map<String, dev.addernet.nn.Parameter> mine = new java.util.LinkedHashMap<>();
            probe.parameters().forEach((k, v) -> mine.put("probe." + k, v));
            return List.of(ParameterGroup.of("network", network.parameters()),
                    ParameterGroup.of("probe", mine).withLrScale(0.5).withWeightDecay(0).withAlr(false));
        }

        @Override
        public BatchLoss loss(Module network, Tensor images, int[] labels) {
            Tensor logits = network.forward(images);
            Tensor own = CrossEntropy.forward(logits, labels);
            Tensor probed = CrossEntropy.forward(probe.forward(Detach.forward(logits)), labels);
            return new BatchLoss(Add.forward(own, probed), logits, Map.of("probe_loss", (double) probed.item()));
        }

        /** The network's test accuracy once more, through the evaluator a method is handed (PKKD scores its teacher so). */
        @Override
        public Map<String, Double> epochValues(Evaluator evaluator) {
            return Map.of("network_test_acc", evaluator.test(network).accuracy());
        }

        @Override
        public Map<String, Tensor> state() {
            Map<String, Tensor> s = new java.util.LinkedHashMap<>();
            probe.state().forEach((k, v) -> s.put("probe." + k, v));
            return s;
        }
    }

    @BeforeAll
    static void writeData() throws Exception {
        data = SyntheticIdx.write(tmp.resolve("data"), 256, 64, 5);
    }

    @AfterEach
    void removeHook() {
        Trainer.hook = null;
    }

    static TrainConfig config() {
        return new TrainConfig("lenet5", "adder", null, "mnist", data.toString(), 2, 64, 0.1, "cosine", "nesterov", 0.9,
                5e-4, 0.2, true, 3, 1, 0.0, 0, 0, null, 0, null, new ProbeSettings(), 0);
    }

    static void train(Path dir, boolean resume) throws IOException {
        new Trainer(config(), dir, new PrintStream(new ByteArrayOutputStream()), TrainerTest.listeners()).run(resume, 0, Map.of());
    }

    static List<String> withoutTimes(Path metrics) throws IOException {
        return Files.readAllLines(metrics).stream().map(l -> l.replaceAll("\"(seconds|images_per_sec)\":[^,}]+,?", "")).toList();
    }

    @Test
    void theProbesLossDoesNotTrainTheNetwork() throws Exception {
        Path probed = tmp.resolve("probed"), plain = tmp.resolve("plain");
        train(probed, false);
        new Trainer(config().withMethod(new dev.addernet.method.plain.PlainSettings()), plain, new PrintStream(new ByteArrayOutputStream()),
                TrainerTest.listeners()).run(false, 0, Map.of());
        assertThat(Files.readAllBytes(probed.resolve("model.safetensors")))
                .as("the probe reads detached logits: the network trains as under plain cross-entropy")
                .isEqualTo(Files.readAllBytes(plain.resolve("model.safetensors")));
    }

    @Test
    void aMethodsOwnModuleIsCheckpointedAndResumedExactly() throws Exception {
        Path whole = tmp.resolve("whole"), killed = tmp.resolve("killed");
        train(whole, false);
        Trainer.hook = (epoch, step, steps, model) -> {
            if (epoch == 1 && step == 1) throw new IllegalStateException("killed");
        };
        assertThatThrownBy(() -> train(killed, false)).hasMessage("killed");
        Trainer.hook = null;
        train(killed, true);

        SafeTensors a = SafeTensors.read(whole.resolve("checkpoint/state.safetensors"));
        SafeTensors b = SafeTensors.read(killed.resolve("checkpoint/state.safetensors"));
        assertThat(a.names()).contains("method.probe.weight", "method.probe.bias", "velocity.probe.weight", "velocity.conv1.weight");
        assertThat(b.names()).containsExactlyInAnyOrderElementsOf(a.names());
        for (String name : a.names()) assertThat(b.floats(name)).as(name).containsExactly(a.floats(name));
        assertThat(Files.readAllBytes(killed.resolve("model.safetensors"))).isEqualTo(Files.readAllBytes(whole.resolve("model.safetensors")));

        List<String> lines = withoutTimes(killed.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(2).isEqualTo(withoutTimes(whole.resolve("metrics.jsonl")));
        for (String line : lines) {
            var m = Json.mapper().readTree(line);
            assertThat(m.get("probe_loss").asDouble()).isPositive();
            assertThat(m.get("network_test_acc").asDouble()).isEqualTo(m.get("test_acc").asDouble());
        }
        assertThat(Json.readTree(killed.resolve("summary.json")).get("method").asText()).isEqualTo("probe");
    }

    static TrainConfig pkkd(String op) {
        TrainConfig c = config();
        return new TrainConfig(c.model(), op, c.firstLast(), c.dataset(), c.dataDir(), c.epochs(), c.batch(), c.lr(), c.schedule(),
                c.optimizer(), c.momentum(), c.weightDecay(), c.eta(), c.alr(), c.seed(), c.threads(), 0, 0, 0, null, 0, null,
                op.equals("adder") ? new PkkdSettings(PkkdSettings.PROGRESSIVE, "pkkd", 1, 1, 1, false, 0.01, null) : new PlainSettings(), 0);
    }

    static void train(TrainConfig cfg, Path dir, boolean resume) throws IOException {
        new Trainer(cfg, dir, new PrintStream(new ByteArrayOutputStream()), TrainerTest.listeners()).run(resume, 0, Map.of());
    }

    /**
     * PKKD through the loop: the teacher, the kernels' parameters and every momentum buffer resume exactly after a
     * crash; and the progressive teacher learns from its own cross-entropy only, so it ends exactly as the CNN
     * that {@code train --op conv} trains with the same seed.
     */
    @Test
    void distillationResumesExactlyAndItsTeacherTrainsAsTheCnnAlone() throws Exception {
        Path whole = tmp.resolve("pkkd-whole"), killed = tmp.resolve("pkkd-killed"), cnn = tmp.resolve("cnn");
        train(pkkd("adder"), whole, false);
        Trainer.hook = (epoch, step, steps, model) -> {
            if (epoch == 1 && step == 2) throw new IllegalStateException("killed");
        };
        assertThatThrownBy(() -> train(pkkd("adder"), killed, false)).hasMessage("killed");
        Trainer.hook = null;
        train(pkkd("adder"), killed, true);
        SafeTensors a = SafeTensors.read(whole.resolve("checkpoint/state.safetensors"));
        SafeTensors b = SafeTensors.read(killed.resolve("checkpoint/state.safetensors"));
        assertThat(a.names()).contains("method.teacher.conv1.weight", "method.pkkd.conv2.log_sigma_a", "method.pkkd.conv2.rho_c.weight",
                "velocity.teacher.conv1.weight", "velocity.pkkd.fc1.rho_a.weight");
        assertThat(b.names()).containsExactlyInAnyOrderElementsOf(a.names());
        for (String name : a.names()) assertThat(b.floats(name)).as(name).containsExactly(a.floats(name));
        assertThat(withoutTimes(killed.resolve("metrics.jsonl"))).isEqualTo(withoutTimes(whole.resolve("metrics.jsonl")));

        train(pkkd("conv"), cnn, false);
        SafeTensors teacher = SafeTensors.read(whole.resolve("teacher.safetensors")), alone = SafeTensors.read(cnn.resolve("model.safetensors"));
        assertThat(teacher.names()).containsExactlyInAnyOrderElementsOf(alone.names());
        for (String name : alone.names()) assertThat(teacher.floats(name)).as("teacher " + name).containsExactly(alone.floats(name));
        var summary = Json.readTree(whole.resolve("summary.json"));
        assertThat(summary.at("/teacher/final_test_acc").asDouble()).isEqualTo(Json.readTree(cnn.resolve("summary.json")).get("final_test_acc").asDouble());
        assertThat(summary.get("method").asText()).isEqualTo("pkkd");
        assertThat(summary.get("teacher_mode").asText()).isEqualTo("progressive");
    }
}
