package dev.addernet.autograd;

import static dev.addernet.autograd.GradCheck.assertClose;
import static dev.addernet.autograd.GradCheck.backprop;
import static dev.addernet.autograd.GradCheck.checkRef;
import static dev.addernet.autograd.GradCheck.dot;
import static dev.addernet.autograd.GradCheck.numeric;
import static dev.addernet.autograd.GradCheck.randn;
import static dev.addernet.autograd.GradCheck.weightedSum;
import static dev.addernet.autograd.GradCheck.weights;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.kernel.Op;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central finite-difference checks of every op whose backward is the true gradient. The op is reduced
 * to L = sum r_i y_i with fixed random r (so no gradient is trivially zero); piecewise-linear ops are
 * differenced in float32 directly, smooth ones (BatchNorm, convolution, cross-entropy) through a
 * double-precision reference written here, whose forward is first checked against the op's.
 */
class GradCheckTest {

    // ---------------------------------------------------------------- harness

    /** Backprop, then float32 central differences of L (op run with no tape) for each input. */
    private static void checkFloat(String name, Supplier<Tensor> op, long seed, double h, double tol, Tensor... inputs) {
        double[] r = weights(seed, op.get().numel());
        backprop(op, r, inputs);
        for (int i = 0; i < inputs.length; i++) {
            double[] num = numeric(inputs[i].data, () -> dot(r, op.get().data), h);
            assertClose(name + " d/d(input " + i + ")", inputs[i].grad(), num, tol);
        }
    }

    // ---------------------------------------------------------------- Relu, Add, Reshape

    @Test
    void relu() {
        Tensor x = randn(new Rng(1), 1, 2, 3, 4, 4);
        // keep every input at least 0.2 from the kink, far more than the step
        for (int i = 0; i < x.data.length; i++) x.data[i] += x.data[i] >= 0 ? 0.2f : -0.2f;
        checkFloat("relu", () -> Relu.forward(x), 11, 1e-2, 1e-3, x);
        // both sides of the kink are present: some zero, some unit gradients (scaled by r)
        float[] g = x.grad();
        int zeros = 0;
        for (int i = 0; i < g.length; i++) if (x.data[i] < 0) {
            assertThat(g[i]).isZero();
            zeros++;
        }
        assertThat(zeros).isBetween(1, g.length - 1);
    }

    @Test
    void add() {
        Rng rng = new Rng(2);
        Tensor a = randn(rng, 1, 2, 3, 3, 3), b = randn(rng, 1, 2, 3, 3, 3);
        checkFloat("add", () -> Add.forward(a, b), 12, 1e-2, 1e-3, a, b);
    }

    @Test
    void addOfATensorWithItselfAccumulatesBothPaths() {
        Tensor a = randn(new Rng(3), 1, 1, 2, 3, 3);
        checkFloat("add(a, a)", () -> Add.forward(a, a), 13, 1e-2, 1e-3, a);
    }

    @Test
    void addOnlyOneInputNeedsAGradient() {
        Rng rng = new Rng(4);
        Tensor a = randn(rng, 1, 2, 5), b = randn(rng, 1, 2, 5);
        double[] r = weights(14, 10);
        a.requiresGrad(true);
        try (Tape tape = Tape.open()) {
            tape.backward(weightedSum(Add.forward(a, b), r));
        }
        assertThat(b.hasGrad()).as("an input without requiresGrad gets no gradient").isFalse();
        for (int i = 0; i < 10; i++) assertThat((double) a.grad()[i]).isCloseTo(r[i], org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void reshape() {
        Tensor x = randn(new Rng(5), 1, 2, 3, 4);
        checkFloat("reshape", () -> Reshape.forward(x, 6, 4), 15, 1e-2, 1e-3, x);
        checkFloat("reshape to 4-d", () -> Reshape.forward(x, 1, 24, 1, 1), 16, 1e-2, 1e-3, x);
    }

    @Test
    void reshapeAccumulatesIntoAGradientFromAnotherUse() {
        // x reaches the loss directly and through a reshape round trip: its gradient sums both paths
        Tensor x = randn(new Rng(61), 1, 2, 3, 2);
        checkFloat("add(reshape(reshape(x)), x)",
                () -> Add.forward(Reshape.forward(Reshape.forward(x, 12), 2, 3, 2), x), 62, 1e-2, 1e-3, x);
    }

    @Test
    void reshapeThenReluChainsThroughTheView() {
        Tensor x = randn(new Rng(6), 1, 2, 3, 2, 2);
        for (int i = 0; i < x.data.length; i++) x.data[i] += x.data[i] >= 0 ? 0.2f : -0.2f;
        checkFloat("relu(reshape)", () -> Relu.forward(Reshape.forward(x, 2, 12)), 16, 1e-2, 1e-3, x);
    }

    // ---------------------------------------------------------------- pooling

    /** Values 0.1 apart (plus noise below 0.02) in random order: every window has a clear maximum. */
    private static Tensor distinct(Rng rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        int n = t.numel();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        for (int i = 0; i < n; i++) t.data[i] = (float) ((perm[i] - n / 2) * 0.1 + 0.02 * (rng.nextDouble() - 0.5));
        return t;
    }

    @Test
    void maxPool2x2Stride2() {
        Tensor x = distinct(new Rng(7), 2, 3, 6, 6);
        checkFloat("maxpool k2 s2", () -> MaxPool.forward(x, 2, 2), 17, 1e-2, 1e-3, x);
    }

    @Test
    void maxPoolOverlappingWindowsAndDroppedBorder() {
        // k3 s2 on 7x7: windows share rows/columns; on 6x6 the last row and column are never pooled
        Tensor x = distinct(new Rng(8), 2, 2, 7, 7);
        checkFloat("maxpool k3 s2 7x7", () -> MaxPool.forward(x, 3, 2), 18, 1e-2, 1e-3, x);
        Tensor z = distinct(new Rng(9), 1, 2, 6, 6);
        checkFloat("maxpool k3 s2 6x6", () -> MaxPool.forward(z, 3, 2), 19, 1e-2, 1e-3, z);
    }

    @Test
    void avgPool2x2Stride2() {
        Tensor x = randn(new Rng(10), 1, 2, 3, 6, 6);
        checkFloat("avgpool k2 s2", () -> AvgPool.forward(x, 2, 2), 20, 1e-2, 1e-3, x);
        Tensor odd = randn(new Rng(11), 1, 2, 2, 5, 5);
        checkFloat("avgpool k2 s2 5x5", () -> AvgPool.forward(odd, 2, 2), 21, 1e-2, 1e-3, odd);
    }

    @Test
    void globalAvgPool() {
        Tensor x = randn(new Rng(12), 1, 3, 4, 4, 4);
        Tensor y = AvgPool.forward(x, 4, 1);
        assertThat(y.shape()).containsExactly(3, 4, 1, 1);
        double mean = 0;
        for (int i = 0; i < 16; i++) mean += x.data[16 + i];
        assertThat((double) y.data[1]).isCloseTo(mean / 16, org.assertj.core.data.Offset.offset(1e-6));
        checkFloat("global avgpool", () -> AvgPool.forward(x, 4, 1), 22, 1e-2, 1e-3, x);
    }

    // ---------------------------------------------------------------- cross-entropy

    private static double[] crossEntropyRef(double[] z, int n, int c, int[] labels) {
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, z[i * c + j]);
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.exp(z[i * c + j] - max);
            loss += Math.log(sum) + max - z[i * c + labels[i]];
        }
        return new double[] {loss / n};
    }

    @Test
    void crossEntropy() {
        Tensor z = randn(new Rng(13), 2, 4, 5);
        int[] labels = {3, 0, 4, 1};
        // weightedSum over the scalar loss scales the seed: checks the upstream gradient is honoured
        checkRef("cross-entropy", () -> CrossEntropy.forward(z, labels),
                in -> crossEntropyRef(in[0], 4, 5, labels), 23, 1e-4, 1e-3, z);
    }

    @Test
    void crossEntropyWithLargeLogitsIsStable() {
        Tensor z = randn(new Rng(14), 3, 3, 4);
        for (int i = 0; i < z.data.length; i++) z.data[i] += 1000f;
        int[] labels = {1, 2, 0};
        checkRef("cross-entropy (logits ~ 1000)", () -> CrossEntropy.forward(z, labels),
                in -> crossEntropyRef(in[0], 3, 4, labels), 24, 1e-4, 1e-3, z);
        for (float g : z.grad()) assertThat(Float.isFinite(g)).isTrue();
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHotOverN() {
        // one row of two equal logits: softmax (1/2, 1/2), label 0, N = 1: gradient (-1/2, 1/2), loss ln 2
        Tensor z = new Tensor(new float[] {0.3f, 0.3f}, 1, 2).requiresGrad(true);
        try (Tape tape = Tape.open()) {
            Tensor loss = CrossEntropy.forward(z, new int[] {0});
            assertThat((double) loss.item()).isCloseTo(Math.log(2), org.assertj.core.data.Offset.offset(1e-6));
            tape.backward(loss);
        }
        assertThat(z.grad()[0]).isCloseTo(-0.5f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(z.grad()[1]).isCloseTo(0.5f, org.assertj.core.data.Offset.offset(1e-6f));
    }

    // ---------------------------------------------------------------- batch normalisation

    private static final double EPS = 1e-5;

    /** BatchNorm over the channel axis in double; training uses batch statistics (biased variance). */
    private static double[] batchNormRef(double[] x, double[] gamma, double[] beta, int n, int c, int hw,
                                         boolean training, float[] runMean, float[] runVar) {
        double[] y = new double[x.length];
        for (int ch = 0; ch < c; ch++) {
            double mean, var;
            if (training) {
                double s = 0;
                for (int i = 0; i < n; i++) for (int j = 0; j < hw; j++) s += x[(i * c + ch) * hw + j];
                mean = s / (n * hw);
                double q = 0;
                for (int i = 0; i < n; i++) for (int j = 0; j < hw; j++) {
                    double d = x[(i * c + ch) * hw + j] - mean;
                    q += d * d;
                }
                var = q / (n * hw);
            } else {
                mean = runMean[ch];
                var = runVar[ch];
            }
            double inv = 1 / Math.sqrt(var + EPS);
            for (int i = 0; i < n; i++) for (int j = 0; j < hw; j++) {
                int at = (i * c + ch) * hw + j;
                y[at] = (x[at] - mean) * inv * gamma[ch] + beta[ch];
            }
        }
        return y;
    }

    private static void checkBatchNorm(String name, Tensor x, boolean training, long seed) {
        int n = x.dim(0), c = x.dim(1), hw = x.numel() / (n * c);
        Rng rng = new Rng(seed);
        Tensor gamma = randn(rng, 0.3, c), beta = randn(rng, 1, c);
        for (int i = 0; i < c; i++) gamma.data[i] += 1f;
        float[] runMean = new float[c], runVar = new float[c];
        for (int i = 0; i < c; i++) {
            runMean[i] = (float) rng.nextGaussian();
            runVar[i] = (float) (0.5 + rng.nextDouble());
        }
        // training mode updates scratch copies of the running statistics: each call starts afresh
        Supplier<Tensor> op = () -> BatchNorm.forward(x, gamma, beta,
                training ? runMean.clone() : runMean, training ? runVar.clone() : runVar, training, 0.1, EPS);
        checkRef(name, op, in -> batchNormRef(in[0], in[1], in[2], n, c, hw, training, runMean, runVar),
                seed + 100, 1e-4, 1e-3, x, gamma, beta);
    }

    @Test
    void batchNormTraining4d() {
        Tensor x = randn(new Rng(15), 2, 4, 3, 2, 2);
        for (int i = 0; i < x.data.length; i++) x.data[i] += 3f;
        checkBatchNorm("batchnorm train 4-d", x, true, 25);
    }

    @Test
    void batchNormTraining2d() {
        Tensor x = randn(new Rng(16), 1.5, 6, 5);
        checkBatchNorm("batchnorm train 2-d", x, true, 26);
    }

    @Test
    void batchNormTrainingAfterAnAdderLayerScaleInput() {
        // adder outputs are large negative numbers with small spread: the input gradient must survive
        Tensor x = randn(new Rng(17), 1, 3, 2, 3, 3);
        for (int i = 0; i < x.data.length; i++) x.data[i] -= 1500f;
        checkBatchNorm("batchnorm train, inputs ~ -1500", x, true, 27);
    }

    @Test
    void batchNormEval() {
        Tensor x = randn(new Rng(18), 1, 3, 2, 2, 3);
        checkBatchNorm("batchnorm eval 4-d", x, false, 28);
        Tensor x2 = randn(new Rng(19), 1, 4, 3);
        checkBatchNorm("batchnorm eval 2-d", x2, false, 29);
    }

    // ---------------------------------------------------------------- convolution

    /** Direct convolution in double with zero padding and optional bias. */
    private static double[] convRef(double[] x, double[] w, double[] b, int n, int c, int h, int wd, int m, int k,
                                    int stride, int pad) {
        int oh = (h + 2 * pad - k) / stride + 1, ow = (wd + 2 * pad - k) / stride + 1;
        double[] y = new double[n * m * oh * ow];
        for (int i = 0; i < n; i++) for (int f = 0; f < m; f++) for (int oy = 0; oy < oh; oy++) for (int ox = 0; ox < ow; ox++) {
            double acc = b == null ? 0 : b[f];
            for (int ch = 0; ch < c; ch++) for (int ky = 0; ky < k; ky++) for (int kx = 0; kx < k; kx++) {
                int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                acc += x[((i * c + ch) * h + iy) * wd + ix] * w[((f * c + ch) * k + ky) * k + kx];
            }
            y[((i * m + f) * oh + oy) * ow + ox] = acc;
        }
        return y;
    }

    static Stream<Arguments> convShapes() {
        // n, c, h, w, m, k, stride, pad
        return Stream.of(
                Arguments.of(2, 3, 5, 5, 4, 3, 1, 0),
                Arguments.of(2, 3, 5, 5, 4, 3, 1, 1),
                Arguments.of(2, 3, 6, 6, 4, 3, 2, 1),
                Arguments.of(1, 2, 7, 6, 5, 3, 2, 0),
                Arguments.of(2, 3, 6, 5, 9, 3, 2, 1),
                Arguments.of(2, 4, 4, 4, 3, 1, 2, 0),
                Arguments.of(3, 2, 6, 6, 2, 5, 1, 2));
    }

    @ParameterizedTest(name = "n{0} c{1} {2}x{3} m{4} k{5} s{6} p{7}")
    @MethodSource("convShapes")
    void convolution(int n, int c, int h, int wd, int m, int k, int stride, int pad) {
        Rng rng = new Rng(31L * h + 7L * stride + pad + 1000L * m);
        Tensor x = randn(rng, 1, n, c, h, wd), w = randn(rng, 0.4, m, c, k, k), b = randn(rng, 0.5, m);
        checkRef("conv", () -> Conv.forward(Op.CONV, x, w, b, stride, pad),
                in -> convRef(in[0], in[1], in[2], n, c, h, wd, m, k, stride, pad), 30 + k, 1e-4, 1e-3, x, w, b);
    }

    @Test
    void convolutionWithoutBias() {
        Rng rng = new Rng(40);
        Tensor x = randn(rng, 1, 2, 2, 5, 5), w = randn(rng, 0.4, 3, 2, 3, 3);
        checkRef("conv no bias", () -> Conv.forward(Op.CONV, x, w, null, 2, 1),
                in -> convRef(in[0], in[1], null, 2, 2, 5, 5, 3, 3, 2, 1), 41, 1e-4, 1e-3, x, w);
    }

    // ---------------------------------------------------------------- a small graph

    @Test
    void chainOfOpsWithFanOut() {
        // conv -> BN (train) -> add(bn, conv) -> avgpool -> reshape -> cross-entropy: the tape must
        // replay in reverse order and accumulate the conv output's gradient from both of its uses.
        Rng rng = new Rng(50);
        Tensor x = randn(rng, 1, 2, 2, 4, 4), w = randn(rng, 0.4, 3, 2, 3, 3), b = randn(rng, 0.2, 3);
        Tensor gamma = randn(rng, 0.2, 3), beta = randn(rng, 0.2, 3);
        for (int i = 0; i < 3; i++) gamma.data[i] += 1f;
        int[] labels = {2, 0};
        Supplier<Tensor> net = () -> {
            Tensor h1 = Conv.forward(Op.CONV, x, w, b, 1, 1);
            Tensor h2 = BatchNorm.forward(h1, gamma, beta, new float[3], new float[] {1, 1, 1}, true, 0.1, EPS);
            Tensor h3 = AvgPool.forward(Add.forward(h2, h1), 2, 2);
            return CrossEntropy.forward(Reshape.forward(h3, 2, 12), new int[] {labels[0], labels[1]});
        };
        checkFloat("chain", () -> net.get(), 51, 1e-2, 2e-2, x, w, b, gamma, beta);
    }

    // ---------------------------------------------------------------- the training methods' loss ops

    @Test
    void scaleExpLogSqrt() {
        Rng rng = new Rng(71);
        Tensor x = randn(rng, 1, 3, 4);
        checkRef("scale", () -> Scale.forward(x, -2.5), in -> map(in[0], v -> -2.5 * v), 72, 1e-4, 1e-3, x);
        checkRef("exp", () -> Elementwise.exp(x), in -> map(in[0], Math::exp), 73, 1e-4, 1e-3, x);
        Tensor pos = randn(rng, 1, 3, 4);
        for (int i = 0; i < pos.data.length; i++) pos.data[i] = 0.2f + Math.abs(pos.data[i]); // away from 0, where both blow up
        checkRef("log", () -> Elementwise.log(pos), in -> map(in[0], Math::log), 74, 1e-5, 1e-3, pos);
        checkRef("sqrt", () -> Elementwise.sqrt(pos), in -> map(in[0], Math::sqrt), 75, 1e-5, 1e-3, pos);
    }

    @Test
    void sumAndMean() {
        Tensor x = randn(new Rng(76), 1, 2, 3, 4);
        checkRef("sum", () -> Sum.forward(x), in -> new double[] {java.util.Arrays.stream(in[0]).sum()}, 77, 1e-4, 1e-3, x);
        checkRef("mean", () -> Sum.mean(x), in -> new double[] {java.util.Arrays.stream(in[0]).average().orElseThrow()}, 78, 1e-4, 1e-3, x);
    }

    @Test
    void sumOfScaledLossesIsTheWeightedSumOfTheirGradients() {
        // how a method combines its losses: x reaches L through both terms, and both gradients add up
        Rng rng = new Rng(79);
        Tensor x = randn(rng, 1, 2, 5), t = randn(rng, 1, 2, 5);
        checkRef("mse(x, t) + 0.5 sum(exp(x))", () -> Add.forward(MeanSquaredError.forward(x, t), Scale.forward(Sum.forward(Elementwise.exp(x)), 0.5)),
                in -> new double[] {mseRef(in[0], in[1]) + 0.5 * java.util.Arrays.stream(in[0]).map(Math::exp).sum()}, 80, 1e-4, 1e-3, x, t);
    }

    private static double mseRef(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return s / a.length;
    }

    @Test
    void meanSquaredErrorReachesBothSides() {
        Rng rng = new Rng(81);
        Tensor a = randn(rng, 1, 3, 2, 2), b = randn(rng, 1, 3, 2, 2);
        checkRef("mse", () -> MeanSquaredError.forward(a, b), in -> new double[] {mseRef(in[0], in[1])}, 82, 1e-4, 1e-3, a, b);
    }

    @Test
    void detachStopsTheGradientButKeepsTheValues() {
        Rng rng = new Rng(83);
        Tensor a = randn(rng, 1, 6), b = randn(rng, 1, 6);
        a.requiresGrad(true);
        b.requiresGrad(true);
        try (Tape tape = Tape.open()) {
            Tensor d = Detach.forward(b);
            assertThat(d.data).containsExactly(b.data);
            assertThat(d.requiresGrad()).isFalse();
            tape.backward(MeanSquaredError.forward(a, d));
        }
        assertThat(a.hasGrad()).isTrue();
        assertThat(b.hasGrad()).as("nothing flows through a detached tensor").isFalse();
        for (int i = 0; i < 6; i++) assertThat((double) a.grad()[i]).isCloseTo(2.0 * (a.data[i] - b.data[i]) / 6, org.assertj.core.data.Offset.offset(1e-6));
    }

    /** mean over rows of -sum_j softmax(t/T)_j log softmax(z/T)_j, in double. */
    private static double softCrossEntropyRef(double[] z, double[] t, int n, int c, double temp) {
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double[] lz = logSoftmaxRef(z, i * c, c, temp), lt = logSoftmaxRef(t, i * c, c, temp);
            for (int j = 0; j < c; j++) loss -= Math.exp(lt[j]) * lz[j];
        }
        return loss / n;
    }

    private static double[] logSoftmaxRef(double[] z, int off, int c, double temp) {
        double sum = 0;
        for (int j = 0; j < c; j++) sum += Math.exp(z[off + j] / temp);
        double[] out = new double[c];
        for (int j = 0; j < c; j++) out[j] = z[off + j] / temp - Math.log(sum);
        return out;
    }

    @Test
    void softTargetCrossEntropyAtSeveralTemperatures() {
        for (double temp : new double[] {1, 0.5, 4}) {
            Rng rng = new Rng(84);
            Tensor z = randn(rng, 2, 3, 5), t = randn(rng, 2, 3, 5);
            checkRef("soft-target cross-entropy T=" + temp, () -> SoftTargetCrossEntropy.forward(z, t, temp),
                    in -> new double[] {softCrossEntropyRef(in[0], GradCheck.toDouble(t.data), 3, 5, temp)},
                    85, 1e-4, 1e-3, z);
        }
    }

    @Test
    void softTargetCrossEntropyGivesTheTargetsNoGradientAndEqualsHardCrossEntropyForOneHotTargets() {
        Rng rng = new Rng(86);
        Tensor z = randn(rng, 1, 2, 4), t = randn(rng, 1, 2, 4);
        z.requiresGrad(true);
        t.requiresGrad(true);
        try (Tape tape = Tape.open()) {
            tape.backward(SoftTargetCrossEntropy.forward(z, t, 2));
        }
        assertThat(t.hasGrad()).as("the targets are constants").isFalse();
        // targets with one dominant logit are one-hot: the loss is the plain cross-entropy
        Tensor oneHot = new Tensor(new float[] {0, 0, 200, 0, 200, 0, 0, 0}, 2, 4);
        float soft = SoftTargetCrossEntropy.forward(z, oneHot, 1).item(), hard = CrossEntropy.forward(z, new int[] {2, 0}).item();
        assertThat(soft).isCloseTo(hard, org.assertj.core.data.Offset.offset(1e-5f));
    }

    private static double[] map(double[] x, java.util.function.DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = f.applyAsDouble(x[i]);
        return y;
    }

    @Test
    void expKernelInTheOutputAndTheLogWidth() {
        // PKKD's g (c = 1, k = 1) and h (c = 2, k = 2), at widths below and above 1
        for (double[] ck : new double[][] {{1, 1}, {2, 2}}) {
            for (float s0 : new float[] {-0.3f, 0.4f}) {
                Rng rng = new Rng(91);
                Tensor z = randn(rng, 1, 2, 3, 2, 2), s = new Tensor(new float[] {s0}, 1);
                double c = ck[0], k = ck[1];
                checkRef("exp kernel c=" + c + " s=" + s0, () -> ExpKernel.forward(z, s, c, k), in -> {
                    double d = c * Math.exp(k * in[1][0]);
                    return map(in[0], v -> Math.exp(-v / d));
                }, 92, 1e-4, 1e-3, z, s);
            }
        }
    }

    /** NST's MMD^2 in double: per image over [C][HW] maps, or over the batch for [N, C]. */
    private static double mmdRef(double[] a, double[] b, int n, int c, int hw) {
        boolean perImage = hw > 1;
        int groups = perImage ? n : 1, len = perImage ? hw : n;
        double total = 0;
        for (int g = 0; g < groups; g++) {
            double[][] s = new double[c][len], t = new double[c][len];
            for (int i = 0; i < c; i++) {
                for (int l = 0; l < len; l++) {
                    int at = perImage ? (g * c + i) * hw + l : l * c + i;
                    s[i][l] = a[at];
                    t[i][l] = b[at];
                }
                normalise(s[i]);
                normalise(t[i]);
            }
            double m = 0;
            for (int i = 0; i < c; i++) for (int j = 0; j < c; j++) {
                m += Math.pow(dotRef(s[i], s[j]), 2) + Math.pow(dotRef(t[i], t[j]), 2) - 2 * Math.pow(dotRef(s[i], t[j]), 2);
            }
            total += m / ((double) c * c);
        }
        return total / groups;
    }

    private static void normalise(double[] v) {
        double n = Math.sqrt(dotRef(v, v));
        for (int i = 0; i < v.length; i++) v[i] /= n;
    }

    private static double dotRef(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test
    void neuronSelectivityMmdPerImageAndOverTheBatch() {
        Rng rng = new Rng(93);
        Tensor s4 = randn(rng, 1, 2, 3, 2, 3), t4 = randn(rng, 1, 2, 3, 2, 3);
        double[] teacher4 = GradCheck.toDouble(t4.data);
        checkRef("nst mmd [2,3,2,3]", () -> NeuronSelectivityMmd.forward(s4, t4),
                in -> new double[] {mmdRef(in[0], teacher4, 2, 3, 6)}, 94, 1e-4, 2e-3, s4);
        Tensor s2 = randn(rng, 1, 5, 4), t2 = randn(rng, 1, 5, 4);
        double[] teacher2 = GradCheck.toDouble(t2.data);
        checkRef("nst mmd [5,4]", () -> NeuronSelectivityMmd.forward(s2, t2),
                in -> new double[] {mmdRef(in[0], teacher2, 5, 4, 1)}, 95, 1e-4, 2e-3, s2);
        assertThat(NeuronSelectivityMmd.forward(s4, s4).item()).as("a map against itself").isCloseTo(0f, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void clampPassesTheGradientOnlyInside() {
        Tensor x = randn(new Rng(96), 2, 3, 5);
        // keep every input 0.05 from the bounds, far more than the step
        for (int i = 0; i < x.data.length; i++) if (Math.abs(Math.abs(x.data[i]) - 1) < 0.05f) x.data[i] *= 1.2f;
        checkRef("clamp [-1, 1]", () -> Clamp.forward(x, -1, 1), in -> map(in[0], v -> Math.min(Math.max(v, -1), 1)), 97, 1e-4, 1e-3, x);
        int outside = 0;
        for (int i = 0; i < x.data.length; i++) if (Math.abs(x.data[i]) > 1) {
            assertThat(x.grad()[i]).isZero();
            outside++;
        }
        assertThat(outside).as("both sides of the bounds are present").isBetween(1, x.data.length - 1);
    }
}
