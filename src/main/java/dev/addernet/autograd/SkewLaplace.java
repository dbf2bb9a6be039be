package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/**
 * The log-density of the multivariate skew Laplace distribution (SLAC, Eq. 2; Kozubowski and Podgorski's
 * SL(mu, Sigma, gamma)) of every row of x under every class k, with diagonal Sigma_k = exp(s_k):
 * <pre>
 *   log f_k(x) = -1/2 log|Sigma_k| - log alpha_k - alpha_k sqrt(q + eps) + (x - mu_k)^T Sigma_k^-1 gamma_k
 *   q = (x - mu_k)^T Sigma_k^-1 (x - mu_k),   alpha_k = sqrt(1 + gamma_k^T Sigma_k^-1 gamma_k)
 * </pre>
 * The normalising constant log(2 pi^((d-1)/2) Gamma((d+1)/2)) is the same for every class and has no
 * gradient, so it is left out; the equal prior log(1/K) is added, so that the output is log f_k(x) p(k), whose
 * softmax is the posterior of Eq. 5. eps keeps sqrt(q) differentiable where a feature sits on its class's
 * location (q = 0). The paper's Eq. 4 drops -log alpha and the log-determinant; this is the true density.
 * Forward and backward run in double.
 */
public final class SkewLaplace {
    private SkewLaplace() {}

    /** x [N, d], mu, logSigma, gamma [K, d]: the [N, K] log-densities plus log(1/K). */
    public static Tensor logDensity(Tensor x, Tensor mu, Tensor logSigma, Tensor gamma, double eps) {
        final int n = x.dim(0), d = x.dim(1), k = mu.dim(0);
        for (Tensor p : new Tensor[] {mu, logSigma, gamma}) {
            if (p.rank() != 2 || p.dim(0) != k || p.dim(1) != d) throw new IllegalArgumentException("skew Laplace parameter " + p + " for features " + x);
        }
        final double[] inv = new double[k * d], alpha = new double[k], logDet = new double[k];
        for (int c = 0; c < k; c++) {
            double gg = 0;
            for (int j = 0; j < d; j++) {
                int i = c * d + j;
                inv[i] = Math.exp(-logSigma.data[i]);
                gg += gamma.data[i] * (double) gamma.data[i] * inv[i];
                logDet[c] += logSigma.data[i];
            }
            alpha[c] = Math.sqrt(1 + gg);
        }
        final double[] root = new double[n * k]; // sqrt(q + eps)
        final double logPrior = -Math.log(k);
        Tensor y = Tensor.zeros(n, k);
        for (int a = 0; a < n; a++) {
            for (int c = 0; c < k; c++) {
                double q = 0, u = 0;
                for (int j = 0; j < d; j++) {
                    int i = c * d + j;
                    double r = x.data[a * d + j] - (double) mu.data[i];
                    q += r * r * inv[i];
                    u += r * inv[i] * gamma.data[i];
                }
                double t = Math.sqrt(q + eps);
                root[a * k + c] = t;
                y.data[a * k + c] = (float) (-0.5 * logDet[c] - Math.log(alpha[c]) - alpha[c] * t + u + logPrior);
            }
        }
        return Tape.record(y, () -> {
            if (!y.hasGrad()) return;
            float[] gy = y.grad();
            double[] gx = new double[n * d], gmu = new double[k * d], gs = new double[k * d], gg = new double[k * d];
            for (int a = 0; a < n; a++) {
                for (int c = 0; c < k; c++) {
                    double g = gy[a * k + c];
                    if (g == 0) continue;
                    double t = root[a * k + c], al = alpha[c];
                    for (int j = 0; j < d; j++) {
                        int i = c * d + j;
                        double r = x.data[a * d + j] - (double) mu.data[i], gam = gamma.data[i], di = inv[i];
                        // Eq. 10's terms: -alpha Sigma^-1 (x - mu) / sqrt(q) + Sigma^-1 gamma
                        double dx = -al * r * di / t + di * gam;
                        gx[a * d + j] += g * dx;
                        gmu[i] -= g * dx;
                        gg[i] += g * (r * di - gam * di * (1 / (al * al) + t / al));
                        // through Sigma^-1 = exp(-s): d/ds = -Sigma^-1 d/d(Sigma^-1), plus the log-determinant's -1/2
                        double dInv = -gam * gam / (2 * al * al) - t * gam * gam / (2 * al) - al * r * r / (2 * t) + r * gam;
                        gs[i] += g * (-0.5 - di * dInv);
                    }
                }
            }
            addTo(x, gx);
            addTo(mu, gmu);
            addTo(logSigma, gs);
            addTo(gamma, gg);
        }, x, mu, logSigma, gamma);
    }

    /** Adds a double gradient into t's float gradient, if t takes one. */
    static void addTo(Tensor t, double[] g) {
        if (!t.requiresGrad()) return;
        float[] tg = t.grad();
        for (int i = 0; i < tg.length; i++) tg[i] += (float) g[i];
    }
}
