package dev.addernet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.kernel.Op;
import dev.addernet.tensor.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With the reference selected, the kernels' entry points compute exactly what ReferenceConv states, rounded to float. */
class ReferenceKernelsTest {
    @AfterEach
    void fastAgain() {
        ConvKernels.useReference(false);
    }

    @Test
    void everyKindAndOptionRunsOnTheReference() {
        ConvShape s = new ConvShape(2, 3, 7, 7, 5, 3, 2, 1);
        Rng rng = new Rng(7);
        float[] x = new float[s.inputSize()], w = new float[s.weightSize()], gy = new float[s.outputSize()];
        rng.fillGaussian(x, 1);
        rng.fillGaussian(w, 1);
        rng.fillGaussian(gy, 1);
        AdderOptions[] options = {AdderOptions.DEFAULT, new AdderOptions(1.5f, true, false), new AdderOptions(2f, false, true)};
        for (Op kind : Op.COMPUTED) {
            for (AdderOptions o : options) {
                ConvKernels.useReference(true);
                float[] y = new float[s.outputSize()], gx = new float[s.inputSize()], gw = new float[s.weightSize()];
                ConvKernels.forward(kind, o, s, x, w, y);
                ConvKernels.backward(kind, o, s, x, w, gy, gx, gw);
                double[] ref = ReferenceConv.forward(kind, o.p(), s, x, w);
                double[][] grads = ReferenceConv.backward(kind, o.p(), o.clipInputGradient(), o.signWeightGradient(), s, x, w, gy);
                for (int i = 0; i < y.length; i++) assertThat(y[i]).as(kind + " " + o + " y[" + i + "]").isEqualTo((float) ref[i]);
                for (int i = 0; i < gx.length; i++) assertThat(gx[i]).as(kind + " " + o + " gx[" + i + "]").isEqualTo((float) grads[0][i]);
                for (int i = 0; i < gw.length; i++) assertThat(gw[i]).as(kind + " " + o + " gw[" + i + "]").isEqualTo((float) grads[1][i]);

                // and the fast path is a different computation (float32 blocks) of the same values
                ConvKernels.useReference(false);
                float[] fast = new float[s.outputSize()];
                ConvKernels.forward(kind, o, s, x, w, fast);
                for (int i = 0; i < y.length; i++) assertThat((double) fast[i]).isCloseTo(ref[i], org.assertj.core.data.Offset.offset(1e-3 * (1 + Math.abs(ref[i]))));
            }
        }
    }

    @Test
    void theAdaptiveScalingGivesTheStatedNormAndKeepsAZeroGradientZero() {
        float[] g = {3, 4, 0, 0};
        ReferenceConv.adaptiveLearningRate(g, 0.5);
        double norm = Math.sqrt(g[0] * g[0] + g[1] * g[1]);
        assertThat(norm).isCloseTo(0.5 * Math.sqrt(4), org.assertj.core.data.Offset.offset(1e-6)); // eta sqrt(k)
        float[] zero = new float[3];
        ReferenceConv.adaptiveLearningRate(zero, 0.5);
        assertThat(zero).containsOnly(0f);
    }
}
