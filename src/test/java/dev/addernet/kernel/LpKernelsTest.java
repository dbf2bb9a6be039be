package dev.addernet.kernel;

import static dev.addernet.kernel.ConvKernelsTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.kernel.ConvKernels.Kind;
import dev.addernet.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Lp-AdderNet kernels (Universal AdderNets Eq. 26-27) against the double-precision reference. */
class LpKernelsTest {
    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    static Stream<Arguments> cases() {
        ConvShape[] shapes = {
            new ConvShape(2, 3, 8, 8, 5, 3, 1, 1),
            new ConvShape(2, 16, 9, 9, 12, 3, 2, 1),
            new ConvShape(3, 7, 6, 6, 9, 1, 1, 0),
            new ConvShape(1, 20, 7, 5, 4, 5, 1, 2),
        };
        List<Arguments> out = new ArrayList<>();
        for (ConvShape s : shapes) {
            for (float p : new float[] {1f, 1.25f, 1.5f, 1.77f, 2f}) {
                for (boolean clip : new boolean[] {true, false}) out.add(Arguments.of(s, p, clip));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} p={1} clip={2}")
    @MethodSource("cases")
    void forwardAndGradientsMatchTheFormulas(ConvShape s, float p, boolean clip) {
        Rng rng = new Rng(Float.floatToIntBits(p) + s.hashCode());
        float[] x = new float[s.inputSize()], w = new float[s.weightSize()], gy = new float[s.outputSize()];
        rng.fillGaussian(x, 1);
        rng.fillGaussian(w, 1);
        rng.fillGaussian(gy, 1);
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            float[] y = new float[s.outputSize()], gx = new float[s.inputSize()], gw = new float[s.weightSize()];
            ConvKernels.forward(Kind.ADDER, new AdderOptions(p, clip, false), s, x, w, y);
            ConvKernels.backward(Kind.ADDER, new AdderOptions(p, clip, false), s, x, w, gy, gx, gw);
            double[][] ref = ReferenceConv.backward(Kind.ADDER, p, clip, s, x, w, gy);
            // |d|^p is approximated to ~2e-5 relative (see LpMicrokernels); p = 1 and 2 are exact paths.
            assertCloseRelative("forward", y, ReferenceConv.forward(Kind.ADDER, p, s, x, w), p == 1f || p == 2f ? 1e-5 : 5e-5);
            assertCloseRelative("grad_input", gx, ref[0], 1e-4);
            assertClose("grad_weight", gw, ref[1]);
        }
    }

    @ParameterizedTest(name = "{0} sgemm={1}")
    @MethodSource("signCases")
    void signWeightGradientIsEq22(ConvShape s, String blas) {
        ConvKernelsTest.useBlas(blas);
        Rng rng = new Rng(s.hashCode());
        float[] x = new float[s.inputSize()], w = new float[s.weightSize()], gy = new float[s.outputSize()];
        rng.fillGaussian(x, 1);
        rng.fillGaussian(w, 1);
        rng.fillGaussian(gy, 1);
        for (int i = 0; i < w.length; i += 7) w[i] = 0f; // padded taps then give x - w = 0 exactly: sgn(0) = 0
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            float[] gw = new float[s.weightSize()];
            ConvKernels.backward(Kind.ADDER, new AdderOptions(1f, true, true), s, x, w, gy, null, gw);
            assertClose("sign grad_weight", gw, ReferenceConv.backward(Kind.ADDER, 1, true, true, s, x, w, gy)[1]);
        }
        Blas.setEnabled(true);
    }

    static Stream<Arguments> signCases() {
        List<Arguments> out = new ArrayList<>();
        for (ConvShape s : new ConvShape[] {new ConvShape(2, 3, 8, 8, 5, 3, 1, 1), new ConvShape(3, 16, 9, 9, 7, 3, 2, 1),
                new ConvShape(2, 5, 6, 6, 9, 1, 1, 0)}) {
            for (String blas : new String[] {"java", "openblas"}) out.add(Arguments.of(s, blas));
        }
        return out.stream();
    }

    /** p times Eq. 27 (unclipped) is the true derivative: finite differences of the double-precision forward. */
    @Test
    void pTimesEq27IsTheTrueInputDerivative() {
        ConvShape s = new ConvShape(1, 3, 5, 5, 4, 3, 1, 0);
        for (float p : new float[] {1.3f, 1.5f, 1.8f}) {
            Rng rng = new Rng(7);
            float[] x = new float[s.inputSize()], w = new float[s.weightSize()], r = new float[s.outputSize()];
            rng.fillUniform(x, -1, 1);
            rng.fillUniform(w, 2, 3); // |w - x| >= 1: far from the kink at 0
            rng.fillGaussian(r, 1);
            float[] gx = new float[s.inputSize()];
            ConvKernels.backward(Kind.ADDER, new AdderOptions(p, false, false), s, x, w, r, gx, null);
            double h = 1e-3;
            for (int i = 0; i < x.length; i++) {
                float keep = x[i];
                x[i] = (float) (keep + h);
                double up = dot(ReferenceConv.forward(Kind.ADDER, p, s, x, w), r);
                x[i] = (float) (keep - h);
                double down = dot(ReferenceConv.forward(Kind.ADDER, p, s, x, w), r);
                x[i] = keep;
                double fd = (up - down) / ((float) (keep + h) - (float) (keep - h));
                assertThat((double) p * gx[i]).as("p=%s input %d", p, i).isCloseTo(fd, org.assertj.core.data.Offset.offset(2e-3 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    @Test
    void theApproximatePowerIsAccurateOverManyMagnitudes() {
        // One input, one weight per magnitude: y = -|x - w|^p exactly for a 1x1 layer.
        int n = 4000;
        ConvShape s = new ConvShape(n, 1, 1, 1, 1, 1, 1, 0);
        float[] x = new float[n], w = {0f}, y = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) Math.pow(10, -6 + 10.0 * i / n) * (i % 2 == 0 ? 1 : -1);
        double worst = 0;
        for (float p : new float[] {1.1f, 1.5f, 1.9f}) {
            ConvKernels.forward(Kind.ADDER, AdderOptions.DEFAULT.withP(p), s, x, w, y);
            for (int i = 0; i < n; i++) {
                double exact = Math.pow(Math.abs(x[i]), p);
                worst = Math.max(worst, Math.abs(-y[i] - exact) / exact);
            }
        }
        assertThat(worst).as("max relative error of |d|^p").isLessThan(5e-5);
    }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void assertCloseRelative(String what, float[] actual, double[] expected, double tol) {
        double max = 0, err = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(actual[i] - expected[i]));
        }
        assertThat(err).as("%s: max abs error %.3g against max |ref| %.3g", what, err, max).isLessThanOrEqualTo(tol * Math.max(max, 1));
    }
}
