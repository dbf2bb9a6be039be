package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/**
 * Class log-densities of a mixture of Gaussians with diagonal covariance Sigma = exp(s), C components per
 * class with equal weights (C = 1: the L-GM loss of Wan et al. 2018, Eq. 5-6; C = 2: SLAC's MoM baseline):
 * <pre>
 *   log p(x | k) = log sum_c 1/C exp(-1/2 m d_kc - 1/2 log|Sigma_kc|),   d_kc = (x - mu_kc)^T Sigma_kc^-1 (x - mu_kc)
 * </pre>
 * The margin factor m is 1 + alpha for the row's own class when labels are given (Wan et al. Eq. 8:
 * the true class's distance enlarged by alpha) and 1 otherwise. The constant -d/2 log(2 pi) is left out and
 * the equal prior log(1/K) added: the output's softmax is the posterior.
 * Component c of class k is row k C + c of mu and s. Forward and backward run in double.
 */
public final class GaussianMixture {
    private GaussianMixture() {}

    /** x [N, d], mu and logSigma [K C, d]: the [N, K] log-densities plus log(1/K); labels null for no margin. */
    public static Tensor logDensity(Tensor x, Tensor mu, Tensor logSigma, int components, int[] labels, double alpha) {
        final int n = x.dim(0), d = x.dim(1), kc = mu.dim(0), k = kc / components;
        if (kc % components != 0 || mu.dim(1) != d || logSigma.dim(0) != kc || logSigma.dim(1) != d) {
            throw new IllegalArgumentException("Gaussian mixture parameters " + mu + ", " + logSigma + " for features " + x + " and " + components + " components");
        }
        if (labels != null && labels.length < n) throw new IllegalArgumentException(n + " features but " + labels.length + " labels");
        final double[] inv = new double[kc * d], logDet = new double[kc];
        for (int i = 0; i < kc * d; i++) {
            inv[i] = Math.exp(-logSigma.data[i]);
            logDet[i / d] += logSigma.data[i];
        }
        final double[] resp = new double[n * kc]; // each component's share of its class's density
        final double logC = Math.log(components), logPrior = -Math.log(k);
        Tensor y = Tensor.zeros(n, k);
        for (int a = 0; a < n; a++) {
            for (int c = 0; c < k; c++) {
                double m = margin(labels, a, c, alpha), max = Double.NEGATIVE_INFINITY;
                for (int e = 0; e < components; e++) {
                    int row = c * components + e;
                    double dist = 0;
                    for (int j = 0; j < d; j++) {
                        double r = x.data[a * d + j] - (double) mu.data[row * d + j];
                        dist += r * r * inv[row * d + j];
                    }
                    double l = -0.5 * m * dist - 0.5 * logDet[row];
                    resp[a * kc + row] = l;
                    max = Math.max(max, l);
                }
                double sum = 0;
                for (int e = 0; e < components; e++) sum += Math.exp(resp[a * kc + c * components + e] - max);
                double lse = max + Math.log(sum);
                for (int e = 0; e < components; e++) resp[a * kc + c * components + e] = Math.exp(resp[a * kc + c * components + e] - lse);
                y.data[a * k + c] = (float) (lse - logC + logPrior);
            }
        }
        return Tape.record(y, () -> {
            if (!y.hasGrad()) return;
            float[] gy = y.grad();
            double[] gx = new double[n * d], gmu = new double[kc * d], gs = new double[kc * d];
            for (int a = 0; a < n; a++) {
                for (int c = 0; c < k; c++) {
                    double m = margin(labels, a, c, alpha);
                    for (int e = 0; e < components; e++) {
                        int row = c * components + e;
                        double g = gy[a * k + c] * resp[a * kc + row];
                        if (g == 0) continue;
                        for (int j = 0; j < d; j++) {
                            int i = row * d + j;
                            double r = x.data[a * d + j] - (double) mu.data[i];
                            gx[a * d + j] -= g * m * r * inv[i];
                            gmu[i] += g * m * r * inv[i];
                            gs[i] += g * (0.5 * m * r * r * inv[i] - 0.5);
                        }
                    }
                }
            }
            SkewLaplace.addTo(x, gx);
            SkewLaplace.addTo(mu, gmu);
            SkewLaplace.addTo(logSigma, gs);
        }, x, mu, logSigma);
    }

    private static double margin(int[] labels, int row, int cls, double alpha) {
        return labels != null && labels[row] == cls ? 1 + alpha : 1;
    }
}
