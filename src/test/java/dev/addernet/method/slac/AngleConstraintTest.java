package dev.addernet.method.slac;

import static dev.addernet.autograd.GradCheck.checkRef;
import static dev.addernet.autograd.GradCheck.randn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.autograd.Tape;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * SLAC's L_ac (Eq. 6-8) against the paper's formula written out in double: value, and gradients by
 * central differences, with the target detached (only gamma) and trained (mu, Sigma and gamma), at and
 * near gamma = 0, and with coinciding locations (the guarded division).
 */
class AngleConstraintTest {
    private static final int K = 4, D = 3;
    private static final double EPS = 1e-8;

    /** The reference; {@code targetFrom} gives the values of mu and s that the target is computed from. */
    static double lac(double[] mu, double[] s, double[] g, double[] targetMu, double[] targetS) {
        double total = 0;
        for (int m = 0; m < K; m++) {
            double[] dmu = new double[K];
            double max = EPS;
            for (int n = 0; n < K; n++) {
                for (int j = 0; j < D; j++) {
                    double diff = targetMu[m * D + j] - targetMu[n * D + j];
                    dmu[n] += diff * diff / Math.exp(targetS[n * D + j]);
                }
                max = Math.max(max, dmu[n]);
            }
            for (int n = 0; n < K; n++) {
                double dot = 0, gm = EPS, gn = EPS;
                for (int j = 0; j < D; j++) {
                    dot += g[m * D + j] * g[n * D + j];
                    gm += g[m * D + j] * g[m * D + j];
                    gn += g[n * D + j] * g[n * D + j];
                }
                double cos = dot / (Math.sqrt(gm) * Math.sqrt(gn)), target = (max - 2 * dmu[n]) / max;
                total += (cos - target) * (cos - target);
            }
        }
        return total / (K * K);
    }

    private static double[] d(Tensor t) {
        double[] out = new double[t.numel()];
        for (int i = 0; i < out.length; i++) out[i] = t.data[i];
        return out;
    }

    @Test
    void detachedTargetMovesTheSkewnessOnly() {
        Rng rng = new Rng(80);
        Tensor mu = randn(rng, 1, K, D), s = randn(rng, 0.3, K, D), g = randn(rng, 1, K, D);
        double[] mu0 = d(mu), s0 = d(s);
        checkRef("L_ac detached, d/dgamma", () -> AngleConstraint.loss(mu, s, g, EPS, false),
                in -> new double[] {lac(mu0, s0, in[0], mu0, s0)}, 81, 1e-6, 1e-3, g);
        mu.requiresGrad(true);
        s.requiresGrad(true);
        try (Tape tape = Tape.open()) {
            tape.backward(AngleConstraint.loss(mu, s, g, EPS, false));
        }
        assertThat(mu.hasGrad() ? mu.grad() : new float[K * D]).containsOnly(0f);
        assertThat(s.hasGrad() ? s.grad() : new float[K * D]).containsOnly(0f);
    }

    @Test
    void trainedTargetReachesLocationsAndCovariances() {
        Rng rng = new Rng(82);
        Tensor mu = randn(rng, 1, K, D), s = randn(rng, 0.3, K, D), g = randn(rng, 1, K, D);
        checkRef("L_ac trained target", () -> AngleConstraint.loss(mu, s, g, EPS, true),
                in -> new double[] {lac(in[0], in[1], in[2], in[0], in[1])}, 83, 1e-6, 1e-3, mu, s, g);
    }

    @Test
    void nearZeroSkewness() {
        // |gamma| ~ 1e-3, a step after the zero initialisation, where the cosine turns fastest
        Rng rng = new Rng(84);
        Tensor mu = randn(rng, 1, K, D), s = randn(rng, 0.3, K, D), g = randn(rng, 1e-3, K, D);
        checkRef("L_ac near gamma = 0", () -> AngleConstraint.loss(mu, s, g, EPS, true),
                in -> new double[] {lac(in[0], in[1], in[2], in[0], in[1])}, 85, 1e-8, 2e-3, mu, s, g);
    }

    @Test
    void atZeroSkewnessTheCosinesAreZeroAndTheLocationsStillTrain() {
        Rng rng = new Rng(86);
        Tensor mu = randn(rng, 1, K, D), s = randn(rng, 0.3, K, D), g = Tensor.zeros(K, D);
        checkRef("L_ac at gamma = 0", () -> AngleConstraint.loss(mu, s, g, EPS, true),
                in -> new double[] {lac(in[0], in[1], d(g), in[0], in[1])}, 87, 1e-6, 1e-3, mu, s);
        g.requiresGrad(true);
        g.zeroGrad();
        try (Tape tape = Tape.open()) {
            tape.backward(AngleConstraint.loss(mu, s, g, EPS, false));
        }
        assertThat(g.grad()).as("cos(0, 0) is flat at 0").containsOnly(0f);
    }

    @Test
    void coincidingLocationsGiveTargetZeroNotNaN() {
        Tensor mu = Tensor.zeros(K, D), s = Tensor.zeros(K, D), g = randn(new Rng(88), 1, K, D);
        double value = AngleConstraint.loss(mu, s, g, EPS, false).item();
        assertThat(value).isFinite().isCloseTo(lac(d(mu), d(s), d(g), d(mu), d(s)), org.assertj.core.data.Offset.offset(1e-5));
    }
}
