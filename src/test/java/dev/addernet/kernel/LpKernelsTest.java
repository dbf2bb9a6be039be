package dev.addernet.kernel;

import static dev.addernet.kernel.ConvKernelsTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.kernel.Op;
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
            java.util.Arrays.fill(y, Float.NaN); // forward overwrites y
            ConvKernels.forward(Op.ADDER, new AdderOptions(p, clip, false), s, x, w, y);
            ConvKernels.backward(Op.ADDER, new AdderOptions(p, clip, false), s, x, w, gy, gx, gw);
            double[][] ref = ReferenceConv.backward(Op.ADDER, p, clip, s, x, w, gy);
            // |d|^p is approximated to ~1e-5 relative (see LpPower); p = 1 and 2 are exact paths.
            assertCloseRelative("forward", y, ReferenceConv.forward(Op.ADDER, p, s, x, w), p == 1f || p == 2f ? 1e-5 : 5e-5);
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
            ConvKernels.backward(Op.ADDER, new AdderOptions(1f, true, true), s, x, w, gy, null, gw);
            assertClose("sign grad_weight", gw, ReferenceConv.backward(Op.ADDER, 1, true, true, s, x, w, gy)[1]);
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
            ConvKernels.backward(Op.ADDER, new AdderOptions(p, false, false), s, x, w, r, gx, null);
            double h = 1e-3;
            for (int i = 0; i < x.length; i++) {
                float keep = x[i];
                x[i] = (float) (keep + h);
                double up = dot(ReferenceConv.forward(Op.ADDER, p, s, x, w), r);
                x[i] = (float) (keep - h);
                double down = dot(ReferenceConv.forward(Op.ADDER, p, s, x, w), r);
                x[i] = keep;
                double fd = (up - down) / ((float) (keep + h) - (float) (keep - h));
                assertThat((double) p * gx[i]).as("p=%s input %d", p, i).isCloseTo(fd, org.assertj.core.data.Offset.offset(2e-3 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    /** 1x1 layers of one input channel and one filter: y[i] = -|x[i] - w|^p and gx[i] = G(w - x[i]) exactly. */
    private static float[][] singleTerms(float[] x, float w, float p, boolean clip) {
        ConvShape s = new ConvShape(x.length, 1, 1, 1, 1, 1, 1, 0);
        float[] y = new float[x.length], gy = new float[x.length], gx = new float[x.length];
        java.util.Arrays.fill(gy, 1f);
        ConvKernels.forward(Op.ADDER, new AdderOptions(p, clip, false), s, x, new float[] {w}, y);
        ConvKernels.backward(Op.ADDER, new AdderOptions(p, clip, false), s, x, new float[] {w}, gy, gx, null);
        return new float[][] {y, gx};
    }

    /** Magnitudes 2^-63 .. 2^64 of both signs, with mantissas spread over [1, 2). */
    private static float[] magnitudes() {
        int perOctave = 37;
        float[] x = new float[2 * 127 * perOctave];
        for (int e = -63, i = 0; e < 64; e++) {
            for (int t = 0; t < perOctave; t++, i += 2) {
                x[i] = (float) Math.scalb(1 + (t + 0.5) / perOctave, e);
                x[i + 1] = -x[i];
            }
        }
        return x;
    }

    @Test
    void powersAreAccurateFrom2ToTheMinus63To2To64() {
        float[] x = magnitudes();
        for (float p : new float[] {1.01f, 1.1f, 1.25f, 1.5f, 1.77f, 1.99f}) {
            for (boolean clip : new boolean[] {false, true}) {
                float[][] r = singleTerms(x, 0f, p, clip);
                double worstForward = 0, worstGrad = 0;
                for (int i = 0; i < x.length; i++) {
                    double exact = Math.pow(Math.abs(x[i]), p);
                    if (exact < Float.MAX_VALUE) worstForward = Math.max(worstForward, Math.abs(-r[0][i] - exact) / exact);
                    double u = -x[i], g = Math.signum(u) * Math.pow(Math.abs(u), p - 1);
                    if (clip) g = Math.max(-1, Math.min(1, g));
                    worstGrad = Math.max(worstGrad, Math.abs(r[1][i] - g) / Math.abs(g));
                }
                assertThat(worstForward).as("p=%s max relative error of |d|^p", p).isLessThan(2e-5);
                assertThat(worstGrad).as("p=%s clip=%s max relative error of sgn(u)|u|^(p-1)", p, clip).isLessThan(2e-5);
            }
        }
    }

    @Test
    void zeroDistanceGivesZeroPowerAndZeroGradient() {
        float[] x = {0f, -0f, 0.75f, 1e-30f};
        float[][] r = singleTerms(x, 0.75f, 1.5f, true);
        assertThat(r[0][2]).isEqualTo(-0f);
        assertThat(r[1][2]).isEqualTo(0f);
        float[][] zero = singleTerms(new float[] {0f, -0f}, 0f, 1.3f, false);
        assertThat(zero[0]).containsOnly(-0f);
        for (float v : zero[1]) assertThat(Math.abs(v)).isEqualTo(0f);
    }

    /**
     * The plain twin of the tiles' arithmetic on one element: the tables' entries (two tables on 16 lanes, three
     * on 8) times the Horner polynomial in the mantissa, with the lane selections' index wrapping written out.
     */
    private static float twin(LpPower power, float d) {
        final int bits = Float.floatToRawIntBits(d);
        final float scale = LpPower.TWO_TABLES
                ? Float.intBitsToFloat(power.lo[(bits >>> 23) % power.lo.length]) * Float.intBitsToFloat(power.hi[(bits >>> (23 + LpPower.LO_BITS)) % power.hi.length])
                : Float.intBitsToFloat(power.t0[(bits >>> 23) % 8]) * Float.intBitsToFloat(power.t1[(bits >>> 26) % 8]) * Float.intBitsToFloat(power.t2[bits >>> 29]);
        final float m = Float.intBitsToFloat(bits & 0x007fffff | 0x3f800000);
        return scale * Math.fma(Math.fma(Math.fma(Math.fma(m, power.c4, power.c3), m, power.c2), m, power.c1), m, power.c0);
    }

    @Test
    void tilesComputeExactlyTheTablesArithmetic() {
        float[] x = magnitudes();
        for (float p : new float[] {1.2f, 1.5f, 1.9f}) {
            LpPower forward = LpPower.magnitude(p), gradient = LpPower.signedMagnitude(p - 1);
            float[][] r = singleTerms(x, 0f, p, false);
            for (int i = 0; i < x.length; i++) {
                assertThat(-r[0][i]).as("p=%s |%s|^p", p, x[i]).isEqualTo(twin(forward, x[i]));
                assertThat(r[1][i]).as("p=%s G(%s)", p, -x[i]).isEqualTo(twin(gradient, -x[i]));
            }
        }
    }

    /** The Math.pow tiles for vectors shorter than 8 floats, checked here against the table tiles. */
    @Test
    void scalarFallbackTilesMatchTheVectorTiles() {
        int k = 37, ld = Microkernels.NR + Microkernels.L, mLen = 11;
        Rng rng = new Rng(5);
        float[] a = new float[k * 4], b = new float[k * ld], wt = new float[mLen * 4], g = new float[mLen * ld];
        rng.fillGaussian(a, 1);
        rng.fillGaussian(b, 1);
        rng.fillGaussian(wt, 1);
        rng.fillGaussian(g, 1);
        float p = 1.6f;
        float[] fast = new float[4 * ld], plain = new float[4 * ld];
        if (LpPower.TWO_TABLES) LpMicrokernels.lpTile(a, 0, b, 0, ld, k, LpPower.magnitude(p), fast, 0, ld);
        else LpMicrokernels.lpTile8(a, 0, b, 0, ld, k, LpPower.magnitude(p), fast, 0, ld);
        LpMicrokernels.lpTileScalar(a, 0, b, 0, ld, k, p, plain, 0, ld);
        assertNear("forward", fast, plain, 4 * ld, ld);
        for (boolean clip : new boolean[] {false, true}) {
            if (LpPower.TWO_TABLES) LpMicrokernels.lpGradTile(wt, 0, b, 0, ld, g, 0, ld, mLen, LpPower.signedMagnitude(p - 1), clip, fast, 0, ld);
            else LpMicrokernels.lpGradTile8(wt, 0, b, 0, ld, g, 0, ld, mLen, LpPower.signedMagnitude(p - 1), clip, fast, 0, ld);
            LpMicrokernels.lpGradTileScalar(wt, 0, b, 0, ld, g, 0, ld, mLen, p, clip, plain, 0, ld);
            assertNear("gradient clip=" + clip, fast, plain, 4 * ld, ld);
        }
    }

    private static void assertNear(String what, float[] fast, float[] plain, int n, int ld) {
        for (int i = 0; i < n; i++) {
            if (i % ld >= Microkernels.NR) continue;
            assertThat((double) fast[i]).as("%s [%d]", what, i).isCloseTo(plain[i], org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(plain[i]))));
        }
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
