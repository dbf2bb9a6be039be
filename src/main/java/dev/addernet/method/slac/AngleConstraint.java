package dev.addernet.method.slac;

import dev.addernet.autograd.Tape;
import dev.addernet.tensor.Tensor;

/**
 * SLAC's angle-based constraint L_ac (Sec. 3.2, Eq. 6-8) on the skew Laplace parameters mu, Sigma =
 * exp(s) and gamma, all [K, d]:
 * <pre>
 *   D_gamma(m, n) = gamma_m . gamma_n / (|gamma_m| |gamma_n|)                     (Eq. 6)
 *   D_mu(m, n)    = (mu_m - mu_n)^T Sigma_n^-1 (mu_m - mu_n)                       (Eq. 7)
 *   target(m, n)  = (max_n' D_mu(m, n') - 2 D_mu(m, n)) / max_n' D_mu(m, n')
 *   L_ac          = 1/K^2 sum_m sum_n (D_gamma(m, n) - target(m, n))^2             (Eq. 8)
 * </pre>
 * Where the paper is silent: each norm is sqrt(|gamma|^2 + eps), so that the cosine is defined (and 0)
 * at the zero initialisation of gamma; the row maximum is at least eps, so that coinciding locations give
 * target 0 instead of a division by zero. With {@code trainTarget} false the target is a constant
 * (detached): the constraint moves the skewness towards the angles the locations prescribe and leaves
 * the locations and covariances to L_c and L_nll; with it true the gradient also flows through the target
 * (into mu and Sigma; through the maximum into its argmax only). Forward and backward run in double.
 */
public final class AngleConstraint {
    private AngleConstraint() {}

    public static Tensor loss(Tensor mu, Tensor logSigma, Tensor gamma, double eps, boolean trainTarget) {
        final int k = mu.dim(0), d = mu.dim(1);
        final double[] dmu = new double[k * k], rowMax = new double[k], norm = new double[k], cos = new double[k * k];
        final int[] argMax = new int[k];
        for (int m = 0; m < k; m++) {
            rowMax[m] = eps;
            argMax[m] = -1; // the guard, no gradient
            for (int n = 0; n < k; n++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double diff = mu.data[m * d + j] - (double) mu.data[n * d + j];
                    s += diff * diff * Math.exp(-logSigma.data[n * d + j]);
                }
                dmu[m * k + n] = s;
                if (s > rowMax[m]) {
                    rowMax[m] = s;
                    argMax[m] = n;
                }
            }
            double g2 = 0;
            for (int j = 0; j < d; j++) g2 += gamma.data[m * d + j] * (double) gamma.data[m * d + j];
            norm[m] = Math.sqrt(g2 + eps);
        }
        final double[] err = new double[k * k]; // dL/dD_gamma(m, n) = 2 (D_gamma - target) / K^2
        double total = 0;
        for (int m = 0; m < k; m++) {
            for (int n = 0; n < k; n++) {
                double dot = 0;
                for (int j = 0; j < d; j++) dot += gamma.data[m * d + j] * (double) gamma.data[n * d + j];
                cos[m * k + n] = dot / (norm[m] * norm[n]);
                double target = (rowMax[m] - 2 * dmu[m * k + n]) / rowMax[m];
                double e = cos[m * k + n] - target;
                total += e * e;
                err[m * k + n] = 2 * e / ((double) k * k);
            }
        }
        Tensor y = Tensor.scalar((float) (total / ((double) k * k)));
        return Tape.record(y, () -> {
            if (!y.hasGrad()) return;
            double gy = y.grad()[0];
            double[] gg = new double[k * d], gmu = new double[k * d], gs = new double[k * d];
            for (int m = 0; m < k; m++) {
                for (int n = 0; n < k; n++) {
                    double e = gy * err[m * k + n], c = cos[m * k + n], nm = norm[m], nn = norm[n];
                    for (int j = 0; j < d; j++) {
                        double gmj = gamma.data[m * d + j], gnj = gamma.data[n * d + j];
                        gg[m * d + j] += e * (gnj / (nm * nn) - c * gmj / (nm * nm));
                        gg[n * d + j] += e * (gmj / (nm * nn) - c * gnj / (nn * nn));
                    }
                }
            }
            if (trainTarget) {
                // target = 1 - 2 D_mu(m, n) / M_m: dL/dD_mu(m, n) = -e (-2 / M_m); dL/dM_m = sum_n -e 2 D_mu(m, n) / M_m^2
                double[] gd = new double[k * k];
                for (int m = 0; m < k; m++) {
                    double gMax = 0;
                    for (int n = 0; n < k; n++) {
                        double e = gy * err[m * k + n];
                        gd[m * k + n] += 2 * e / rowMax[m];
                        gMax -= 2 * e * dmu[m * k + n] / (rowMax[m] * rowMax[m]);
                    }
                    if (argMax[m] >= 0) gd[m * k + argMax[m]] += gMax;
                }
                for (int m = 0; m < k; m++) {
                    for (int n = 0; n < k; n++) {
                        double g = gd[m * k + n];
                        if (g == 0) continue;
                        for (int j = 0; j < d; j++) {
                            double diff = mu.data[m * d + j] - (double) mu.data[n * d + j], inv = Math.exp(-logSigma.data[n * d + j]);
                            gmu[m * d + j] += g * 2 * diff * inv;
                            gmu[n * d + j] -= g * 2 * diff * inv;
                            gs[n * d + j] -= g * diff * diff * inv;
                        }
                    }
                }
            }
            add(gamma, gg);
            if (trainTarget) {
                add(mu, gmu);
                add(logSigma, gs);
            }
        }, trainTarget ? new Tensor[] {mu, logSigma, gamma} : new Tensor[] {gamma});
    }

    private static void add(Tensor t, double[] g) {
        if (!t.requiresGrad()) return;
        float[] tg = t.grad();
        for (int i = 0; i < tg.length; i++) tg[i] += (float) g[i];
    }
}
