package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;
import java.util.Arrays;

/**
 * Neuron selectivity transfer (Huang and Wang 2017), PKKD's MMD baseline: the squared maximum mean
 * discrepancy between the student's and the teacher's channels, each channel's map l2-normalised and taken
 * as one sample, with the polynomial kernel k(a, b) = (a . b)^2:
 * MMD^2 = 1/C^2 (sum_ij (s_i . s_j)^2 + sum_ij (t_i . t_j)^2 - 2 sum_ij (s_i . t_j)^2).
 * Maps [N, C, H, W] with H W > 1 give one MMD per image, averaged over the batch; features [N, C] (or
 * 1x1 maps) have no spatial map, so there each channel's vector of N activations is its sample. The
 * gradient reaches the student only: the teacher's maps are constants.
 */
public final class NeuronSelectivityMmd {
    /** Keeps the normalisation of an all-zero map finite. */
    private static final double EPS = 1e-12;

    private NeuronSelectivityMmd() {}

    public static Tensor forward(Tensor student, Tensor teacher) {
        if (!Arrays.equals(student.shape(), teacher.shape())) throw new IllegalArgumentException("MMD of " + student + " and " + teacher);
        final int n = student.dim(0), c = student.dim(1), hw = student.numel() / (n * c);
        final boolean perImage = hw > 1;
        final int groups = perImage ? n : 1, len = perImage ? hw : n;
        final double[][] s = new double[groups][], norms = new double[groups][];
        final double[][] t = new double[groups][];
        double loss = 0;
        for (int g = 0; g < groups; g++) {
            norms[g] = new double[c];
            s[g] = samples(student.data, g, perImage, n, c, hw, norms[g]);
            t[g] = samples(teacher.data, g, perImage, n, c, hw, new double[c]);
            loss += sumSquaredDots(s[g], s[g], c, len) + sumSquaredDots(t[g], t[g], c, len) - 2 * sumSquaredDots(s[g], t[g], c, len);
        }
        final double scale = 1.0 / ((double) c * c * groups);
        Tensor y = Tensor.scalar((float) (loss * scale));
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !student.requiresGrad()) return;
            float[] gx = student.grad();
            double k = 4 * scale * y.grad()[0];
            for (int g = 0; g < groups; g++) {
                double[] gs = new double[c * len];
                // d/ds_i of the loss: 4/C^2 (sum_j (s_i . s_j) s_j - sum_j (s_i . t_j) t_j), for the normalised s_i
                for (int i = 0; i < c; i++) {
                    for (int j = 0; j < c; j++) {
                        double ss = dot(s[g], i, s[g], j, len), st = dot(s[g], i, t[g], j, len);
                        for (int l = 0; l < len; l++) gs[i * len + l] += k * (ss * s[g][j * len + l] - st * t[g][j * len + l]);
                    }
                    // through s_i = x_i / |x_i|: (g - s_i (s_i . g)) / |x_i|
                    double along = 0;
                    for (int l = 0; l < len; l++) along += s[g][i * len + l] * gs[i * len + l];
                    for (int l = 0; l < len; l++) {
                        double v = (gs[i * len + l] - s[g][i * len + l] * along) / norms[g][i];
                        gx[index(g, i, l, perImage, c, hw)] += (float) v;
                    }
                }
            }
        }, student);
    }

    /** The l2-normalised channel maps of group g, [C][len] row-major; the norms go to {@code norms}. */
    private static double[] samples(float[] x, int g, boolean perImage, int n, int c, int hw, double[] norms) {
        int len = perImage ? hw : n;
        double[] out = new double[c * len];
        for (int i = 0; i < c; i++) {
            double sq = 0;
            for (int l = 0; l < len; l++) {
                double v = x[index(g, i, l, perImage, c, hw)];
                out[i * len + l] = v;
                sq += v * v;
            }
            norms[i] = Math.sqrt(sq + EPS);
            for (int l = 0; l < len; l++) out[i * len + l] /= norms[i];
        }
        return out;
    }

    /** Where element l of channel i's map in group g lies in the [N, C, (HW)] array. */
    private static int index(int g, int i, int l, boolean perImage, int c, int hw) {
        return perImage ? (g * c + i) * hw + l : (l * c + i) * hw;
    }

    private static double sumSquaredDots(double[] a, double[] b, int c, int len) {
        double s = 0;
        for (int i = 0; i < c; i++) for (int j = 0; j < c; j++) {
            double d = dot(a, i, b, j, len);
            s += d * d;
        }
        return s;
    }

    private static double dot(double[] a, int i, double[] b, int j, int len) {
        double s = 0;
        for (int l = 0; l < len; l++) s += a[i * len + l] * b[j * len + l];
        return s;
    }
}
