package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/**
 * The logits of the L-Softmax loss (Liu et al. 2016, Eq. 4-6), without bias: f_k = |W_k| |x| cos(theta_k),
 * and for the row's own class, during training, the blend of the original's annealing,
 * <pre>
 *   f_y = (lambda |W_y| |x| cos(theta) + |W_y| |x| psi(theta)) / (1 + lambda),
 *   psi(theta) = (-1)^k cos(m theta) - 2k,  theta in [k pi / m, (k + 1) pi / m],
 * </pre>
 * with cos(m theta) the Chebyshev polynomial T_m(cos theta) (their Eq. 7). lambda = 0 is the full margin;
 * without labels the logits are W x. The norms carry a tiny epsilon so that a zero feature has a gradient.
 * Forward and backward run in double.
 */
public final class LargeMargin {
    private static final double NORM_EPS = 1e-12;

    private LargeMargin() {}

    /** x [N, d], w [K, d]: the [N, K] logits; labels null for none (evaluation). */
    public static Tensor logits(Tensor x, Tensor w, int[] labels, int margin, double lambda) {
        final int n = x.dim(0), d = x.dim(1), k = w.dim(0);
        if (w.dim(1) != d) throw new IllegalArgumentException("L-Softmax weight " + w + " for features " + x);
        if (labels != null && labels.length < n) throw new IllegalArgumentException(n + " features but " + labels.length + " labels");
        final double[] wNorm = new double[k];
        for (int c = 0; c < k; c++) wNorm[c] = norm(w.data, c * d, d);
        // per row: |x| and, for the own class, psi and dpsi/dcos
        final double[] xNorm = new double[n], psi = new double[n], dpsi = new double[n], cosine = new double[n];
        Tensor y = Tensor.zeros(n, k);
        for (int a = 0; a < n; a++) {
            xNorm[a] = norm(x.data, a * d, d);
            for (int c = 0; c < k; c++) y.data[a * k + c] = (float) dotRow(x.data, a * d, w.data, c * d, d);
            if (labels == null) continue;
            int c = labels[a];
            double dot = dotRow(x.data, a * d, w.data, c * d, d), scale = wNorm[c] * xNorm[a];
            double cos = Math.max(-1, Math.min(1, dot / scale));
            int seg = Math.min(margin - 1, (int) Math.floor(Math.acos(cos) * margin / Math.PI));
            double sign = seg % 2 == 0 ? 1 : -1;
            double[] tu = chebyshev(margin, cos);
            cosine[a] = cos;
            psi[a] = sign * tu[0] - 2 * seg;
            dpsi[a] = sign * margin * tu[1];
            y.data[a * k + c] = (float) ((lambda * dot + scale * psi[a]) / (1 + lambda));
        }
        return Tape.record(y, () -> {
            if (!y.hasGrad()) return;
            float[] gy = y.grad();
            double[] gx = new double[n * d], gw = new double[k * d];
            for (int a = 0; a < n; a++) {
                for (int c = 0; c < k; c++) {
                    double g = gy[a * k + c];
                    if (g == 0) continue;
                    if (labels == null || labels[a] != c) {
                        for (int j = 0; j < d; j++) {
                            gx[a * d + j] += g * w.data[c * d + j];
                            gw[c * d + j] += g * x.data[a * d + j];
                        }
                        continue;
                    }
                    // d(|w||x| psi(cos))/dx = (psi - cos psi') |w| x / |x| + psi' w, and symmetrically for w
                    double b = 1 / (1 + lambda), radial = psi[a] - cosine[a] * dpsi[a];
                    for (int j = 0; j < d; j++) {
                        double xj = x.data[a * d + j], wj = w.data[c * d + j];
                        gx[a * d + j] += g * b * (lambda * wj + radial * wNorm[c] * xj / xNorm[a] + dpsi[a] * wj);
                        gw[c * d + j] += g * b * (lambda * xj + radial * xNorm[a] * wj / wNorm[c] + dpsi[a] * xj);
                    }
                }
            }
            SkewLaplace.addTo(x, gx);
            SkewLaplace.addTo(w, gw);
        }, x, w);
    }

    /** {T_m(c), U_(m-1)(c)}: cos(m theta) and the factor of its derivative, T_m' = m U_(m-1). */
    private static double[] chebyshev(int m, double c) {
        double tPrev = 1, t = c;
        for (int i = 2; i <= m; i++) {
            double next = 2 * c * t - tPrev;
            tPrev = t;
            t = next;
        }
        double uPrev = 1, u = 2 * c; // U_0, U_1
        if (m == 1) u = 1;
        for (int i = 2; i <= m - 1; i++) {
            double next = 2 * c * u - uPrev;
            uPrev = u;
            u = next;
        }
        return new double[] {t, u};
    }

    private static double norm(float[] a, int off, int d) {
        double s = NORM_EPS;
        for (int j = 0; j < d; j++) s += a[off + j] * (double) a[off + j];
        return Math.sqrt(s);
    }

    private static double dotRow(float[] a, int ao, float[] b, int bo, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) s += a[ao + j] * (double) b[bo + j];
        return s;
    }
}
