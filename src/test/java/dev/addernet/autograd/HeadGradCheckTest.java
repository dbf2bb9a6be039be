package dev.addernet.autograd;

import static dev.addernet.autograd.GradCheck.assertClose;
import static dev.addernet.autograd.GradCheck.checkRef;
import static dev.addernet.autograd.GradCheck.randn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks, in double, of the classifier heads' ops (SLAC's skew Laplace log-density,
 * the Gaussian mixtures of L-GM and MoM with and without margin, L-Softmax's margin logits) and of the
 * label pick of the likelihood terms. Each reference below is the paper's formula written out directly.
 */
class HeadGradCheckTest {
    private static final int N = 3, D = 4, K = 3;

    // ---------------------------------------------------------------- skew Laplace (SLAC Eq. 2)

    /** log f_SL(x_n; mu_k, Sigma_k, gamma_k) + log(1/K), Sigma_k = diag(exp(s_k)), without the constant. */
    static double[] skewLaplaceRef(double[] x, double[] mu, double[] s, double[] g, int n, int d, int k, double eps) {
        double[] out = new double[n * k];
        for (int a = 0; a < n; a++) {
            for (int c = 0; c < k; c++) {
                double logDet = 0, gSg = 0, q = 0, skew = 0;
                for (int j = 0; j < d; j++) {
                    double sigma = Math.exp(s[c * d + j]), r = x[a * d + j] - mu[c * d + j];
                    logDet += Math.log(sigma);
                    gSg += g[c * d + j] * g[c * d + j] / sigma;
                    q += r * r / sigma;
                    skew += r * g[c * d + j] / sigma;
                }
                double alpha = Math.sqrt(1 + gSg);
                out[a * k + c] = -0.5 * logDet - Math.log(alpha) - alpha * Math.sqrt(q + eps) + skew - Math.log(k);
            }
        }
        return out;
    }

    private static void checkSkewLaplace(String name, Tensor x, Tensor mu, Tensor s, Tensor g, double eps, double h) {
        checkRef(name, () -> SkewLaplace.logDensity(x, mu, s, g, eps),
                in -> skewLaplaceRef(in[0], in[1], in[2], in[3], x.dim(0), D, K, eps), 41, h, 2e-3, x, mu, s, g);
    }

    @Test
    void skewLaplace() {
        Rng rng = new Rng(40);
        checkSkewLaplace("skew Laplace", randn(rng, 1, N, D), randn(rng, 1, K, D), randn(rng, 0.3, K, D), randn(rng, 0.5, K, D), 1e-6, 1e-5);
    }

    @Test
    void skewLaplaceAtItsInitialisation() {
        // Algorithm 1's start: Sigma = 1 (s = 0), gamma = 0
        Rng rng = new Rng(42);
        checkSkewLaplace("skew Laplace, gamma = 0, Sigma = I", randn(rng, 1, N, D), randn(rng, 1, K, D), Tensor.zeros(K, D), Tensor.zeros(K, D), 1e-6, 1e-5);
    }

    @Test
    void skewLaplaceWhereAFeatureMeetsItsLocation() {
        // q = 0 for row 0 and class 1 (and q ~ 1e-6 for row 1): sqrt(q + eps) keeps the gradient finite
        Rng rng = new Rng(43);
        Tensor x = randn(rng, 1, N, D), mu = randn(rng, 1, K, D), s = randn(rng, 0.3, K, D), g = randn(rng, 0.5, K, D);
        for (int j = 0; j < D; j++) {
            x.data[j] = mu.data[D + j];
            x.data[D + j] = mu.data[D + j] + 5e-4f;
        }
        checkSkewLaplace("skew Laplace near q = 0", x, mu, s, g, 1e-6, 1e-7); // assertClose fails on a NaN
    }

    /**
     * SLAC Eq. 10: for one feature, d(L_c + lambda L_nll)/dx = (1 - p(y|x) + lambda)(alpha_y q_y^-1/2 Sigma_y^-1 (x - mu_y)
     * - Sigma_y^-1 gamma_y) + sum_(k != y) p(k|x)(Sigma_k^-1 gamma_k - alpha_k q_k^-1/2 Sigma_k^-1 (x - mu_k)).
     */
    @Test
    void slacLossGradientIsEquationTen() {
        Rng rng = new Rng(44);
        Tensor x = randn(rng, 1, 1, D).requiresGrad(true), mu = randn(rng, 1, K, D), s = randn(rng, 0.3, K, D), g = randn(rng, 0.5, K, D);
        int[] y = {1};
        double lambda = 0.01;
        try (Tape tape = Tape.open()) {
            Tensor logits = SkewLaplace.logDensity(x, mu, s, g, 0);
            Tensor loss = Add.forward(CrossEntropy.forward(logits, y), Scale.forward(PickLabel.mean(logits, y), -lambda));
            tape.backward(loss);
        }
        double[] logf = skewLaplaceRef(GradCheck.toDouble(x.data), GradCheck.toDouble(mu.data), GradCheck.toDouble(s.data),
                GradCheck.toDouble(g.data), 1, D, K, 0);
        double max = Double.NEGATIVE_INFINITY, z = 0;
        for (double v : logf) max = Math.max(max, v);
        for (double v : logf) z += Math.exp(v - max);
        double[] expected = new double[D];
        for (int c = 0; c < K; c++) {
            double p = Math.exp(logf[c] - max) / z, gSg = 0, q = 0;
            for (int j = 0; j < D; j++) {
                double inv = Math.exp(-s.data[c * D + j]), r = x.data[j] - mu.data[c * D + j];
                gSg += g.data[c * D + j] * g.data[c * D + j] * inv;
                q += r * r * inv;
            }
            double alpha = Math.sqrt(1 + gSg);
            for (int j = 0; j < D; j++) {
                double inv = Math.exp(-s.data[c * D + j]), r = x.data[j] - mu.data[c * D + j];
                double pull = alpha / Math.sqrt(q) * inv * r - inv * g.data[c * D + j]; // d(-log f_c)/dx
                expected[j] += c == y[0] ? (1 - p + lambda) * pull : -p * pull;
            }
        }
        assertClose("Eq. 10", x.grad(), expected, 1e-4);
    }

    // ---------------------------------------------------------------- Gaussian mixtures (L-GM, MoM)

    /** log(1/C sum_c exp(-1/2 m d_kc - 1/2 log|Sigma_kc|)) + log(1/K), m = 1 + alpha for the own class. */
    static double[] mixtureRef(double[] x, double[] mu, double[] s, int comps, int[] labels, double alpha, int n, int d, int k) {
        double[] out = new double[n * k];
        for (int a = 0; a < n; a++) {
            for (int c = 0; c < k; c++) {
                double m = labels != null && labels[a] == c ? 1 + alpha : 1, sum = 0;
                for (int e = 0; e < comps; e++) {
                    int row = c * comps + e;
                    double dist = 0, logDet = 0;
                    for (int j = 0; j < d; j++) {
                        double r = x[a * d + j] - mu[row * d + j];
                        dist += r * r / Math.exp(s[row * d + j]);
                        logDet += s[row * d + j];
                    }
                    sum += Math.exp(-0.5 * m * dist - 0.5 * logDet) / comps;
                }
                out[a * k + c] = Math.log(sum) - Math.log(k);
            }
        }
        return out;
    }

    private static void checkMixture(String name, int comps, int[] labels, double alpha, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = randn(rng, 1, N, D), mu = randn(rng, 1, K * comps, D), s = randn(rng, 0.3, K * comps, D);
        checkRef(name, () -> GaussianMixture.logDensity(x, mu, s, comps, labels, alpha),
                in -> mixtureRef(in[0], in[1], in[2], comps, labels, alpha, N, D, K), seed + 1, 1e-5, 2e-3, x, mu, s);
    }

    @Test
    void gaussianWithoutMargin() {
        checkMixture("L-GM logits", 1, null, 0, 50);
    }

    @Test
    void gaussianWithMargin() {
        checkMixture("L-GM margin logits", 1, new int[] {2, 0, 1}, 0.3, 52);
    }

    @Test
    void mixtureOfTwoGaussiansWithMargin() {
        checkMixture("MoM margin logits", 2, new int[] {1, 1, 0}, 0.1, 54);
    }

    // ---------------------------------------------------------------- L-Softmax

    /** f_k = w_k . x; own class (|w||x|(lambda cos + psi(theta)) / (1 + lambda)), psi = (-1)^k cos(m theta) - 2k by acos. */
    static double[] largeMarginRef(double[] x, double[] w, int[] labels, int m, double lambda, int n, int d, int k) {
        double[] out = new double[n * k];
        for (int a = 0; a < n; a++) {
            for (int c = 0; c < k; c++) {
                double dot = 0, xx = 1e-12, ww = 1e-12;
                for (int j = 0; j < d; j++) {
                    dot += x[a * d + j] * w[c * d + j];
                    xx += x[a * d + j] * x[a * d + j];
                    ww += w[c * d + j] * w[c * d + j];
                }
                if (labels == null || labels[a] != c) {
                    out[a * k + c] = dot;
                    continue;
                }
                double norms = Math.sqrt(xx) * Math.sqrt(ww), theta = Math.acos(dot / norms);
                int seg = (int) Math.floor(theta * m / Math.PI);
                double psi = (seg % 2 == 0 ? 1 : -1) * Math.cos(m * theta) - 2 * seg;
                out[a * k + c] = (lambda * dot + norms * psi) / (1 + lambda);
            }
        }
        return out;
    }

    private static void checkLargeMargin(String name, int m, double lambda, long seed) {
        Rng rng = new Rng(seed);
        int n = 6;
        Tensor x = randn(rng, 1, n, D), w = randn(rng, 1, K, D);
        int[] labels = {0, 1, 2, 0, 1, 2};
        // rows on both sides of the first segment boundary (theta = pi / m): the piecewise psi is checked on each piece
        int low = 0, high = 0;
        for (int a = 0; a < n; a++) {
            double plain = largeMarginRef(GradCheck.toDouble(x.data), GradCheck.toDouble(w.data), null, 1, 0, n, D, K)[a * K + labels[a]];
            if (plain > 0) low++;
            else high++;
        }
        assertThat(low).as("rows with theta < pi/2").isPositive();
        assertThat(high).as("rows with theta > pi/2").isPositive();
        checkRef(name, () -> LargeMargin.logits(x, w, labels, m, lambda),
                in -> largeMarginRef(in[0], in[1], labels, m, lambda, n, D, K), seed + 1, 1e-6, 2e-3, x, w);
    }

    @Test
    void largeMarginFullMargin() {
        checkLargeMargin("L-Softmax m = 2", 2, 0, 60);
    }

    @Test
    void largeMarginBlended() {
        checkLargeMargin("L-Softmax m = 3, lambda = 5", 3, 5, 62);
    }

    @Test
    void largeMarginFour() {
        checkLargeMargin("L-Softmax m = 4", 4, 0, 64);
    }

    @Test
    void largeMarginWithoutLabelsIsTheLinearLayer() {
        Rng rng = new Rng(66);
        Tensor x = randn(rng, 1, N, D), w = randn(rng, 1, K, D);
        checkRef("L-Softmax eval logits", () -> LargeMargin.logits(x, w, null, 2, 0),
                in -> largeMarginRef(in[0], in[1], null, 1, 0, N, D, K), 67, 1e-6, 1e-3, x, w);
    }

    // ---------------------------------------------------------------- the likelihood terms' pick

    @Test
    void pickLabel() {
        Tensor z = randn(new Rng(70), 1, N, K);
        int[] labels = {2, 0, 2};
        checkRef("pick", () -> PickLabel.mean(z, labels), in -> new double[] {(in[0][2] + in[0][3] + in[0][8]) / 3}, 71, 1e-6, 1e-4, z);
    }
}
