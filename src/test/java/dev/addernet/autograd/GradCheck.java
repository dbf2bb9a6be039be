package dev.addernet.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Helpers for gradient checks: a test-only op that reduces a tensor to L = sum r_i y_i (its backward
 * seeds dL/dy = r), central finite differences (over float data, perturbed in place, or over a double
 * copy fed to a double-precision reference), and a comparison relative to the largest gradient.
 */
public final class GradCheck {
    private GradCheck() {}

    /** A tensor of the given shape filled with N(0, std^2) values. */
    public static Tensor randn(Rng rng, double std, int... shape) {
        Tensor t = Tensor.zeros(shape);
        rng.fillGaussian(t.data, std);
        return t;
    }

    /** Fixed random weights r for the scalar loss L = sum r_i y_i. */
    static double[] weights(long seed, int n) {
        Rng rng = new Rng(seed);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = rng.nextGaussian();
        return r;
    }

    /** sum r_i y_i in double. */
    static double dot(double[] r, float[] y) {
        if (r.length != y.length) throw new IllegalArgumentException(r.length + " weights for " + y.length + " values");
        double s = 0;
        for (int i = 0; i < y.length; i++) s += r[i] * y[i];
        return s;
    }

    static double dot(double[] r, double[] y) {
        if (r.length != y.length) throw new IllegalArgumentException(r.length + " weights for " + y.length + " values");
        double s = 0;
        for (int i = 0; i < y.length; i++) s += r[i] * y[i];
        return s;
    }

    /**
     * The op L = sum r_i y_i, recorded on the open tape like any library op: its backward adds
     * r_i * dL to y's gradient, so a backward pass from L seeds the op under test with dL/dy = r.
     */
    static Tensor weightedSum(Tensor y, double[] r) {
        if (r.length != y.numel()) throw new IllegalArgumentException(r.length + " weights for " + y);
        Tensor loss = Tensor.scalar((float) dot(r, y.data));
        return Tape.record(loss, () -> {
            if (!loss.hasGrad() || !y.requiresGrad()) return;
            float[] gy = y.grad();
            double gl = loss.grad()[0];
            for (int i = 0; i < gy.length; i++) gy[i] += (float) (r[i] * gl);
        }, y);
    }

    /**
     * Central differences of {@code loss} with respect to every entry of {@code data}, perturbing it in
     * place by about h (the step actually taken, after rounding to float, is used) and restoring it.
     */
    static double[] numeric(float[] data, DoubleSupplier loss, double h) {
        double[] g = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            float orig = data[i];
            float up = (float) (orig + h), down = (float) (orig - h);
            data[i] = up;
            double lUp = loss.getAsDouble();
            data[i] = down;
            double lDown = loss.getAsDouble();
            data[i] = orig;
            g[i] = (lUp - lDown) / ((double) up - down);
        }
        return g;
    }

    /**
     * Central differences of a double-precision reference loss with respect to every entry of the
     * double copy of {@code data}.
     */
    static double[] numeric(float[] data, ToDoubleFunction<double[]> loss, double h) {
        double[] x = new double[data.length];
        for (int i = 0; i < x.length; i++) x[i] = data[i];
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double orig = x[i];
            x[i] = orig + h;
            double lUp = loss.applyAsDouble(x);
            x[i] = orig - h;
            double lDown = loss.applyAsDouble(x);
            x[i] = orig;
            g[i] = (lUp - lDown) / (2 * h);
        }
        return g;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** max |actual - expected| <= relTol * max(max |expected|, floor). Also asserts the check is not vacuous. */
    public static void assertClose(String what, float[] actual, double[] expected, double relTol) {
        assertThat(actual).as(what + " size").hasSize(expected.length);
        double max = 0, err = 0;
        int worst = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            double e = Math.abs(actual[i] - expected[i]);
            if (!(e <= err)) { // also catches NaN
                err = e;
                worst = i;
            }
        }
        assertThat(max).as("%s: expected gradient is all zero, the check would prove nothing", what).isGreaterThan(1e-6);
        int w = worst;
        assertThat(err).as("%s: max abs error %.4g at [%d] (actual %.6g, expected %.6g) against max |expected| %.4g",
                        what, err, w, actual[w], expected[w], max)
                .isLessThanOrEqualTo(relTol * max);
    }

    /** A double-precision twin of an op: output values from the inputs' values. */
    public interface Ref {
        double[] apply(double[][] inputs);
    }

    /** Fills the inputs' gradients with dL/d(input) for L = sum r_i op()_i, through the tape. */
    static void backprop(Supplier<Tensor> op, double[] r, Tensor... inputs) {
        for (Tensor t : inputs) {
            t.requiresGrad(true);
            t.zeroGrad();
        }
        try (Tape tape = Tape.open()) {
            Tensor y = op.get();
            assertThat(y.requiresGrad()).as("output of an op on inputs that need a gradient").isTrue();
            tape.backward(weightedSum(y, r));
        }
    }

    /**
     * Checks the op's forward against {@code ref}, then its backward against central differences (step
     * h, in double) of the reference's L, for each input.
     */
    public static void checkRef(String name, Supplier<Tensor> op, Ref ref, long seed, double h, double tol, Tensor... inputs) {
        double[][] in = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) in[i] = GradCheck.toDouble(inputs[i].data);
        Tensor y0 = op.get();
        assertClose(name + " forward vs reference", y0.data, ref.apply(in), 1e-5);
        double[] r = weights(seed, y0.numel());
        backprop(op, r, inputs);
        for (int i = 0; i < inputs.length; i++) {
            final int which = i;
            double[] num = numeric(inputs[i].data, xi -> {
                double[][] args = in.clone();
                args[which] = xi;
                return dot(r, ref.apply(args));
            }, h);
            assertClose(name + " d/d(input " + i + ")", inputs[i].grad(), num, tol);
        }
    }
}
