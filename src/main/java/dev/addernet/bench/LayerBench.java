package dev.addernet.bench;

import dev.addernet.kernel.AdderOptions;
import dev.addernet.kernel.ConvKernels;
import dev.addernet.kernel.Op;
import dev.addernet.kernel.ConvShape;
import dev.addernet.tensor.Rng;

/**
 * Times one layer shape's forward, input-gradient and weight-gradient passes (im2col and col2im included), on
 * inputs after a ReLU (half of them zero, the rest positive), as every adder layer of the model zoo sees them:
 * the adder tiles take their min(x, w) and clamp paths there.
 */
final class LayerBench {
    private LayerBench() {}

    /** Seconds per call of {forward, backward-input, backward-weight}: the best of several timed rounds. */
    static double[] time(Op kind, ConvShape s, double minSeconds) {
        return time(kind, 1f, s, minSeconds);
    }

    /** The same for the Lp-AdderNet's distance (p in [1, 2]; the input gradient clipped, the default). */
    static double[] time(Op kind, float p, ConvShape s, double minSeconds) {
        Calls c = calls(kind, p, s);
        return new double[] {Timing.best(c.forward, minSeconds), Timing.best(c.inputGradient, minSeconds), Timing.best(c.weightGradient, minSeconds)};
    }

    /** One layer's calls on fixed data: the forward, each gradient alone, and both in one call (as training runs them). */
    record Calls(Runnable forward, Runnable inputGradient, Runnable weightGradient, Runnable backward) {}

    static Calls calls(Op kind, float p, ConvShape s) {
        Rng rng = new Rng(1);
        float[] x = new float[s.inputSize()], w = new float[s.weightSize()], gy = new float[s.outputSize()];
        float[] y = new float[s.outputSize()], gx = new float[s.inputSize()], gw = new float[s.weightSize()];
        rng.fillGaussian(x, 1);
        for (int i = 0; i < x.length; i++) x[i] = Math.max(x[i], 0f);
        rng.fillGaussian(w, 1);
        rng.fillGaussian(gy, 1);
        AdderOptions options = AdderOptions.DEFAULT.withP(p);
        return new Calls(() -> ConvKernels.forward(kind, options, s, x, w, y),
                () -> ConvKernels.backward(kind, options, s, x, w, gy, gx, null),
                () -> ConvKernels.backward(kind, options, s, x, w, gy, null, gw),
                () -> ConvKernels.backward(kind, options, s, x, w, gy, gx, gw));
    }
}
