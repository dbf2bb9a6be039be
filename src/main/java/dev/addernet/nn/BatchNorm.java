package dev.addernet.nn;

import dev.addernet.tensor.Tensor;

/**
 * Batch normalisation over channels, for [N, C] (1-d) and [N, C, H, W] (2-d) inputs; weight 1, bias 0,
 * running mean 0 and variance 1 at start, momentum 0.1, eps 1e-5 (PyTorch's defaults, as the reference).
 */
public final class BatchNorm extends Module {
    public static final double MOMENTUM = 0.1, EPS = 1e-5;
    private final int channels;
    private final Parameter weight, bias;
    private final Tensor runningMean, runningVar;

    public BatchNorm(int channels) {
        this.channels = channels;
        Tensor ones = Tensor.zeros(channels);
        java.util.Arrays.fill(ones.data, 1f);
        this.weight = param("weight", new Parameter(ones, false));
        this.bias = param("bias", new Parameter(Tensor.zeros(channels), false));
        this.runningMean = buffer("running_mean", Tensor.zeros(channels));
        Tensor var = Tensor.zeros(channels);
        java.util.Arrays.fill(var.data, 1f);
        this.runningVar = buffer("running_var", var);
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, false);
    }

    /** Reuses x unless an observer is watching (it is shown the input and the output). */
    @Override
    public Tensor forwardReusing(Tensor x) {
        return forward(x, !LayerObserver.watching());
    }

    private Tensor forward(Tensor x, boolean reuse) {
        return LayerObserver.report(this, x, dev.addernet.autograd.BatchNorm.forward(x, weight, bias,
                runningMean.data, runningVar.data, isTraining(), MOMENTUM, EPS, reuse));
    }

    @Override
    public String describe() {
        return "BatchNorm(" + channels + ")";
    }
}
