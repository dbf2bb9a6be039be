package dev.addernet.method.pkkd;

import dev.addernet.autograd.Add;
import dev.addernet.autograd.CrossEntropy;
import dev.addernet.autograd.Scale;
import dev.addernet.autograd.SoftTargetCrossEntropy;
import dev.addernet.method.BatchLoss;
import dev.addernet.method.Evaluator;
import dev.addernet.method.MethodContext;
import dev.addernet.method.ModelSaver;
import dev.addernet.method.TrainingMethod;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.Conv2d;
import dev.addernet.nn.FilterLayer;
import dev.addernet.nn.LayerObserver;
import dev.addernet.nn.Linear;
import dev.addernet.nn.Module;
import dev.addernet.nn.Parameter;
import dev.addernet.optim.ParameterGroup;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kernel-based progressive knowledge distillation (PKKD, Xu et al., NeurIPS 2020, Algorithm 1): an AdderNet
 * student learns from a CNN teacher of the same architecture. The student's loss is
 * L = beta L_mid + L_blend (Eq. 14): L_mid sums over the distilled layers (every filter layer but the first
 * and the last, Sec. 3.1) the MSE of the kernel-transformed outputs ({@link DistilledLayer}, Eq. 7-13);
 * L_blend = alpha T^2 H(y_s, y_t) + H(y_s, y_gt) (Eq. 4; T = 1 in the paper). The progressive teacher
 * (Sec. 3.2) trains in the same step on its own cross-entropy only: nothing of the student's loss reaches
 * it (its logits and outputs enter the student's loss as constants). A fixed teacher, from a weights
 * file, is evaluated in eval mode and not trained (Table 1's ablation).
 *
 * <p>The saved student is a plain AdderNet: the kernels and 1x1 convolutions live here, used only by the
 * loss. {@code train_loss} reports the student's L; {@code loss_mid} (unweighted), {@code loss_blend},
 * {@code teacher_train_loss}, {@code teacher_train_acc} and {@code teacher_test_acc} are recorded beside it.
 */
final class PkkdMethod implements TrainingMethod {
    private final PkkdSettings settings;
    private final FeatureLoss featureLoss;
    private final ModelConfig teacherConfig;
    private final Module teacher;
    private final boolean progressive;
    private final long seed;
    private final List<DistilledLayer> layers = new ArrayList<>();
    private Set<Module> studentLayers, teacherLayers;

    PkkdMethod(PkkdSettings settings, MethodContext context) {
        this.settings = settings;
        this.featureLoss = FeatureLoss.parse(settings.featureLoss());
        this.progressive = settings.progressive();
        this.seed = context.seed();
        ModelConfig student = context.network();
        ModelConfig cnn = new ModelConfig(student.model(), "conv", student.inChannels(), student.imageSize(), student.numClasses(),
                student.firstLast(), student.featureDim(), 1, student.head());
        if (progressive) {
            teacherConfig = cnn;
            // the student's seed: the teacher starts as, and trains exactly like, `train --op conv` with the same seed
            teacher = Models.build(cnn, seed);
        } else {
            Path file = Path.of(settings.teacher());
            WeightsFile.Loaded loaded;
            try {
                loaded = WeightsFile.load(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ModelConfig c = loaded.config();
            if (!c.op().equals("conv") || !c.model().equals(cnn.model()) || c.numClasses() != cnn.numClasses()
                    || c.inChannels() != cnn.inChannels() || c.imageSize() != cnn.imageSize() || c.featureDim() != cnn.featureDim()
                    || !c.head().equals(cnn.head())) {
                throw new IllegalArgumentException(file + ": --teacher must be a CNN of the student's architecture (" + cnn.model() + ", op conv, "
                        + cnn.inChannels() + "x" + cnn.imageSize() + "x" + cnn.imageSize() + ", " + cnn.numClasses() + " classes), the file holds "
                        + c.model() + " op " + c.op() + ", " + c.inChannels() + "x" + c.imageSize() + "x" + c.imageSize() + ", " + c.numClasses()
                        + " classes");
            }
            teacherConfig = c;
            teacher = loaded.model();
            teacher.parameters().values().forEach(p -> p.requiresGrad(false));
        }
    }

    @Override
    public String name() {
        return "pkkd";
    }

    @Override
    public List<ParameterGroup> parameterGroups(Module network) {
        Map<String, Module> studentFilters = filterLayers(network), teacherFilters = filterLayers(teacher);
        List<String> paths = new ArrayList<>(studentFilters.keySet());
        if (!paths.equals(new ArrayList<>(teacherFilters.keySet()))) {
            throw new IllegalStateException("teacher and student differ in their filter layers: " + teacherFilters.keySet() + " vs " + paths);
        }
        studentLayers = Collections.newSetFromMap(new IdentityHashMap<>());
        teacherLayers = Collections.newSetFromMap(new IdentityHashMap<>());
        Rng rng = Rng.derive(seed, 0x9CC1);
        // Sec. 3.1: every intermediate filter layer, not the first and the last
        for (String path : paths.subList(1, paths.size() - 1)) {
            if (path.contains("downsample") && !settings.shortcuts()) continue;
            Module s = studentFilters.get(path), t = teacherFilters.get(path);
            layers.add(new DistilledLayer(path, s, t, outputs(s), s instanceof Conv2d, featureLoss, rng));
            studentLayers.add(s);
            teacherLayers.add(t);
        }
        Map<String, Parameter> own = new LinkedHashMap<>();
        for (DistilledLayer d : layers) own.putAll(d.parameters("pkkd." + d.path + "."));
        List<ParameterGroup> groups = new ArrayList<>();
        groups.add(ParameterGroup.of("network", network.parameters()));
        if (progressive) groups.add(ParameterGroup.of("teacher", prefixed("teacher.", teacher.parameters())));
        // the loss's own widths and 1x1 maps: slower than the network (see PkkdSettings.kernelLrScale), and no
        // weight decay, which would pull rho_a towards 0 for no reason
        if (!own.isEmpty()) groups.add(ParameterGroup.of("pkkd", own).withLrScale(settings.kernelLrScale()).withWeightDecay(0).withAlr(false));
        return groups;
    }

    /** The filter layers (convolutions, adder and linear layers) of a network by dotted path, in definition order. */
    static Map<String, Module> filterLayers(Module network) {
        Map<String, Module> out = new LinkedHashMap<>();
        network.modules().forEach((path, m) -> {
            if (m instanceof FilterLayer) out.put(path, m);
        });
        return out;
    }

    private static int outputs(Module layer) {
        return layer instanceof Conv2d c ? c.outChannels() : ((Linear) layer).outFeatures();
    }

    private static <T> Map<String, T> prefixed(String prefix, Map<String, T> m) {
        Map<String, T> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    /** Runs a network on x and keeps the outputs of the given layers (an observer sees every layer's output). */
    private static Tensor run(Module net, Tensor x, Set<Module> keep, Map<Module, Tensor> outputs) {
        return LayerObserver.watch((layer, in, out) -> {
            if (keep.contains(layer)) outputs.put(layer, out);
        }, () -> net.forward(x));
    }

    @Override
    public BatchLoss loss(Module network, Tensor images, int[] labels) {
        teacher.train(progressive);
        Map<Module, Tensor> studentOut = new IdentityHashMap<>(), teacherOut = new IdentityHashMap<>();
        Tensor studentLogits = run(network, images, studentLayers, studentOut);
        Tensor teacherLogits = run(teacher, images, teacherLayers, teacherOut);
        Tensor teacherCe = CrossEntropy.forward(teacherLogits, labels);

        double t = settings.temperature();
        Tensor soft = SoftTargetCrossEntropy.forward(studentLogits, teacherLogits, t);
        Tensor blend = Add.forward(Scale.forward(soft, settings.alpha() * t * t), CrossEntropy.forward(studentLogits, labels));
        Tensor student = blend;
        Map<String, Double> values = new LinkedHashMap<>();
        if (featureLoss != FeatureLoss.NONE) {
            Tensor mid = null;
            for (DistilledLayer d : layers) {
                Tensor term = d.loss(studentOut.get(d.student), teacherOut.get(d.teacher));
                mid = mid == null ? term : Add.forward(mid, term);
            }
            if (mid != null) {
                student = Add.forward(Scale.forward(mid, settings.beta()), blend);
                values.put("loss_mid", (double) mid.item());
            }
        }
        values.put("loss_blend", (double) blend.item());
        values.put("teacher_train_loss", (double) teacherCe.item());
        values.put("teacher_train_acc", accuracy(teacherLogits, labels));
        Tensor total = progressive ? Add.forward(student, teacherCe) : student;
        return new BatchLoss(total, student.item(), studentLogits, values);
    }

    private static double accuracy(Tensor logits, int[] labels) {
        int n = logits.dim(0), c = logits.dim(1), correct = 0;
        for (int i = 0; i < n; i++) {
            int arg = 0;
            for (int j = 1; j < c; j++) if (logits.data[i * c + j] > logits.data[i * c + arg]) arg = j;
            if (arg == labels[i]) correct++;
        }
        return (double) correct / n;
    }

    @Override
    public Map<String, Double> epochValues(Evaluator evaluator) {
        return Map.of("teacher_test_acc", evaluator.test(teacher).accuracy());
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>(prefixed("teacher.", teacher.state()));
        for (DistilledLayer d : layers) s.putAll(d.state("pkkd." + d.path + "."));
        return s;
    }

    @Override
    public void saveBeside(Path runFolder, ModelSaver saver) throws IOException {
        saver.save(runFolder.resolve("teacher.safetensors"), teacher, teacherConfig);
    }

    @Override
    public Map<String, Object> summary(List<Map<String, Double>> valuesByEpoch) {
        Map<String, Object> t = new LinkedHashMap<>();
        Map<String, Double> last = valuesByEpoch.get(valuesByEpoch.size() - 1);
        t.put("final_test_acc", last.get("teacher_test_acc"));
        t.put("best_test_acc", valuesByEpoch.stream().mapToDouble(v -> v.getOrDefault("teacher_test_acc", Double.NaN)).max().orElse(Double.NaN));
        t.put("final_train_acc", last.get("teacher_train_acc"));
        t.put("final_train_loss", last.get("teacher_train_loss"));
        t.put("weights", "teacher.safetensors");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("teacher", t);
        s.put("teacher_mode", progressive ? "progressive" : "fixed");
        s.put("feature_loss", featureLoss.id);
        s.put("kd_alpha", settings.alpha());
        s.put("kd_beta", settings.beta());
        s.put("kd_temperature", settings.temperature());
        s.put("kd_kernel_lr_scale", settings.kernelLrScale());
        s.put("distilled_layers", layers.stream().map(d -> d.path).toList());
        return s;
    }

    /**
     * Each distilled layer's features on a batch, the kernels' outputs g and h (index 0 and 1) and what the
     * 1x1 maps make of them, y_a and y_c (2 and 3), in training mode (for tests and diagnosis).
     */
    Map<String, Tensor[]> transformedFeatures(Module network, Tensor images) {
        Map<Module, Tensor> studentOut = new IdentityHashMap<>(), teacherOut = new IdentityHashMap<>();
        boolean wasTraining = network.isTraining();
        network.train(true);
        teacher.train(progressive);
        run(network, images, studentLayers, studentOut);
        run(teacher, images, teacherLayers, teacherOut);
        network.train(wasTraining);
        Map<String, Tensor[]> out = new LinkedHashMap<>();
        for (DistilledLayer d : layers) {
            Tensor s = studentOut.get(d.student), t = teacherOut.get(d.teacher);
            out.put(d.path, new Tensor[] {d.studentKernel(s), d.teacherKernel(t), d.studentSide(s), d.teacherSide(t)});
        }
        return out;
    }
}
