package dev.addernet.bench;

import dev.addernet.autograd.OpProfile;
import dev.addernet.data.ImageSet;
import dev.addernet.data.Normalization;
import dev.addernet.data.loading.Batch;
import dev.addernet.data.loading.BatchLoader;
import dev.addernet.data.transform.Transforms;
import dev.addernet.method.TrainingMethod;
import dev.addernet.method.plain.PlainMethod;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.nn.Module;
import dev.addernet.optim.Sgd;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import dev.addernet.train.TrainingStep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Whole-model throughput: the training loop's step (plain cross-entropy, backward, SGD) and inference, on random data. */
final class ModelBench {
    /**
     * Warm-up of each model row: the tiles run at full speed only once C2 has compiled them for the shapes
     * of this model, which can take a second after another model's rows (with the layer rows' short
     * warm-up a model row read half its steady speed).
     */
    private static final double WARM_UP_SECONDS = 2.0;

    private final Module model;
    private final TrainingStep step;
    private final Sgd optimiser;
    private final ModelConfig cfg;

    ModelBench(ModelConfig cfg) {
        this.cfg = cfg;
        this.model = Models.build(cfg, 0);
        TrainingMethod method = new PlainMethod();
        this.optimiser = new Sgd(method.parameterGroups(model), 0.9, false, 5e-4, 0.2, true);
        this.step = new TrainingStep(model, method, optimiser);
    }

    private Tensor input(int batch) {
        Tensor x = Tensor.zeros(batch, cfg.inChannels(), cfg.imageSize(), cfg.imageSize());
        new Rng(batch).fillGaussian(x.data, 1);
        return x;
    }

    private static int[] labels(int batch, int classes) {
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) y[i] = i % classes;
        return y;
    }

    void trainStep(Tensor x, int[] y) {
        model.train(true);
        step.run(x, y, 1e-3);
    }

    /** Images per second of a training step at this batch size. */
    double trainImagesPerSecond(int batch, double minSeconds) {
        Tensor x = input(batch);
        int[] y = labels(batch, cfg.numClasses());
        return batch / Timing.best(() -> trainStep(x, y), minSeconds, WARM_UP_SECONDS);
    }

    /** Images per second of eval-mode inference at this batch size. */
    double inferImagesPerSecond(int batch, double minSeconds) {
        Tensor x = input(batch);
        model.train(false);
        return batch / Timing.best(() -> model.forward(x), minSeconds, WARM_UP_SECONDS);
    }

    /** Seconds of one eval-mode forward pass of a single image. */
    double latencySeconds(double minSeconds) {
        Tensor x = input(1);
        model.train(false);
        return Timing.best(() -> model.forward(x), minSeconds, WARM_UP_SECONDS);
    }

    /**
     * Bytes allocated on the Java heap per training step (all threads): activations and their gradients
     * are fresh arrays each step; im2col blocks, packed weights' workspaces and parameter gradients are reused.
     */
    double allocatedBytesPerTrainStep(int batch) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Tensor x = input(batch);
        int[] y = labels(batch, cfg.numClasses());
        for (int i = 0; i < 3; i++) trainStep(x, y);
        int steps = 5;
        long before = threads.getTotalThreadAllocatedBytes();
        for (int i = 0; i < steps; i++) trainStep(x, y);
        return (threads.getTotalThreadAllocatedBytes() - before) / (double) steps;
    }

    /** One training step on fixed random data of this batch size. */
    void trainStep(int batch) {
        trainStep(input(batch), labels(batch, cfg.numClasses()));
    }

    /**
     * Where a training step's wall time goes: each op's forward and backward ({@link OpProfile}), grouped
     * into filter layers (convolution and adder ops, linear layers included), BatchNorm, ReLU and adds, and
     * other ops (pooling, the loss); the optimiser's update; and the rest (the tape, the step's glue). Seconds
     * per step, the mean over {@code steps} steps after a warm-up.
     */
    Map<String, Double> stepBreakdown(int batch, int steps) {
        Tensor x = input(batch);
        int[] y = labels(batch, cfg.numClasses());
        Timing.best(() -> trainStep(x, y), 0.5, WARM_UP_SECONDS);
        Map<String, Double> parts = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try (OpProfile profile = OpProfile.start()) {
            for (int i = 0; i < steps; i++) trainStep(x, y);
            double total = (System.nanoTime() - t0) / 1e9 / steps;
            Map<String, Double> ops = new LinkedHashMap<>();
            profile.forwardSeconds().forEach((op, sec) -> ops.merge(group(op), sec / steps, Double::sum));
            profile.backwardSeconds().forEach((op, sec) -> ops.merge(group(op), sec / steps, Double::sum));
            long o0 = System.nanoTime();
            for (int i = 0; i < steps; i++) optimiser.step(1e-3); // the same loops over zeroed gradients
            double optimiserSeconds = (System.nanoTime() - o0) / 1e9 / steps;
            parts.put("step", total);
            for (String g : GROUPS) parts.put(g, ops.getOrDefault(g, 0.0));
            parts.put("optimiser", optimiserSeconds);
            parts.put("rest", total - ops.values().stream().mapToDouble(Double::doubleValue).sum() - optimiserSeconds);
        }
        return parts;
    }

    /** The step breakdown's op groups, in the order they are reported. */
    static final List<String> GROUPS = List.of("filter_layers", "batch_norm", "relu_and_adds", "other_ops");

    private static String group(String op) {
        return switch (op) {
            case "Conv" -> "filter_layers";
            case "BatchNorm" -> "batch_norm";
            case "Relu", "Add" -> "relu_and_adds";
            default -> "other_ops";
        };
    }

    /**
     * Seconds to assemble one batch of CIFAR-sized images with CIFAR's training augmentation (pad, random crop,
     * flip) and normalisation, from an in-memory set, as the training loop's prefetch thread does beside the step.
     */
    static double dataSecondsPerBatch(int batch, double minSeconds) {
        int n = batch * 16;
        byte[] pixels = new byte[n * 3 * 32 * 32];
        new java.util.Random(1).nextBytes(pixels);
        int[] labels = labels(n, 10);
        ImageSet set = ImageSet.wrap("random-cifar", pixels, labels, 3, 32, 32,
                java.util.stream.IntStream.range(0, 10).mapToObj(Integer::toString).toList());
        int[] epoch = {0};
        double perEpoch = Timing.best(() -> {
            try (BatchLoader loader = new BatchLoader(set, batch, true, 0, epoch[0]++, Normalization.CIFAR, Transforms.cifarTrain(), false)) {
                for (Batch b : loader) if (b.count() == 0) throw new IllegalStateException("empty batch");
            }
        }, minSeconds, 0.5);
        return perEpoch / 16;
    }
}
