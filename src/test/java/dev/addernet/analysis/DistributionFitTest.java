package dev.addernet.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.tensor.Rng;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The maximum-likelihood fits on samples of known law, and the feature projection's plane. */
class DistributionFitTest {

    @Test
    void laplaceSampleIsFitBetterByLaplaceAndGaussianSampleByGaussian() {
        Rng rng = new Rng(9);
        float[] lap = new float[200_000], gauss = new float[200_000];
        for (int i = 0; i < lap.length; i++) {
            double u = rng.nextDouble() - 0.5; // inverse CDF of Laplace(0.5, 2)
            lap[i] = (float) (0.5 - 2 * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
            gauss[i] = (float) (3 + 0.25 * rng.nextGaussian());
        }
        DistributionFit l = DistributionFit.of(lap);
        assertThat(l.laplaceLocation()).isCloseTo(0.5, Offset.offset(0.02));
        assertThat(l.laplaceScale()).isCloseTo(2, Offset.offset(0.02));
        assertThat(l.laplaceLogLik()).isCloseTo(-Math.log(4) - 1, Offset.offset(0.01)); // -log(2b) - 1
        assertThat(l.gaussStd()).isCloseTo(2 * Math.sqrt(2), Offset.offset(0.05));        // Laplace variance 2 b^2
        assertThat(l.better()).isEqualTo("laplace");
        DistributionFit g = DistributionFit.of(gauss);
        assertThat(g.gaussMean()).isCloseTo(3, Offset.offset(0.01));
        assertThat(g.gaussLogLik()).isCloseTo(-Math.log(0.25 * Math.sqrt(2 * Math.PI)) - 0.5, Offset.offset(0.01));
        assertThat(g.better()).isEqualTo("gaussian");
        // densities are normalised
        double sum = 0;
        for (double x = -40; x < 40; x += 0.001) sum += l.laplacePdf(x) * 0.001;
        assertThat(sum).isCloseTo(1, Offset.offset(1e-3));
    }

    @Test
    void projectionPlaneHoldsPointsThatLieOnAPlaneThroughTheOrigin() {
        // points a e1 + b e2 with e1, e2 an orthonormal pair tilted out of every axis; a spread 3x wider than b
        double[] e1 = {2 / 3.0, 2 / 3.0, 1 / 3.0}, e2 = {-2 / 3.0, 1 / 3.0, 2 / 3.0}, normal = {1 / 3.0, -2 / 3.0, 2 / 3.0};
        Rng rng = new Rng(3);
        int n = 500;
        float[] f = new float[3 * n];
        for (int i = 0; i < n; i++) {
            double a = 3 * rng.nextGaussian(), b = rng.nextGaussian();
            for (int k = 0; k < 3; k++) f[3 * i + k] = (float) (a * e1[k] + b * e2[k]);
        }
        double[][] p = Projection.plane(f, n);
        assertThat(Math.abs(dot(p[0], normal))).isLessThan(1e-5);
        assertThat(Math.abs(dot(p[1], normal))).isLessThan(1e-5);
        assertThat(Math.abs(dot(p[0], p[1]))).isLessThan(1e-9);
        assertThat(dot(p[0], p[0])).isCloseTo(1, Offset.offset(1e-9));
        assertThat(Math.abs(dot(p[0], e1))).as("the wider direction first (up to the sample's own tilt)").isCloseTo(1, Offset.offset(1e-3));
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
