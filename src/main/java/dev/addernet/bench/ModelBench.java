package dev.addernet.bench;

import dev.addernet.method.TrainingMethod;
import dev.addernet.method.plain.PlainMethod;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.nn.Module;
import dev.addernet.optim.Sgd;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import dev.addernet.train.TrainingStep;

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
    private final ModelConfig cfg;

    ModelBench(ModelConfig cfg) {
        this.cfg = cfg;
        this.model = Models.build(cfg, 0);
        TrainingMethod method = new PlainMethod();
        this.step = new TrainingStep(model, method, new Sgd(method.parameterGroups(model), 0.9, false, 5e-4, 0.2, true));
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
}
