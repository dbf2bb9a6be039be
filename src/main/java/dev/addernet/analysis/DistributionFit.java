package dev.addernet.analysis;

import java.util.Arrays;

/**
 * Maximum-likelihood fits of a Gaussian and a Laplace distribution to a sample, and each fit's mean
 * log-likelihood per value: the comparison behind Universal AdderNets Fig. 7 (AdderNet weights Laplace,
 * CNN weights Gaussian). The higher mean log-likelihood is the better fit.
 * <ul>
 *   <li>Gaussian: mu = mean, sigma^2 = mean of (x - mu)^2; mean log-likelihood -log(sigma sqrt(2 pi)) - 1/2.</li>
 *   <li>Laplace: mu = median, b = mean of |x - mu|; mean log-likelihood -log(2 b) - 1.</li>
 * </ul>
 */
public record DistributionFit(int count, double gaussMean, double gaussStd, double gaussLogLik,
                              double laplaceLocation, double laplaceScale, double laplaceLogLik) {

    public static DistributionFit of(float[] x) {
        if (x.length < 2) throw new IllegalArgumentException("a fit needs at least 2 values, got " + x.length);
        double mean = 0;
        for (float v : x) mean += v;
        mean /= x.length;
        double ss = 0;
        for (float v : x) ss += (v - mean) * (v - mean);
        double std = Math.sqrt(ss / x.length);
        float[] sorted = x.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * ((double) sorted[n / 2 - 1] + sorted[n / 2]);
        double abs = 0;
        for (float v : x) abs += Math.abs(v - median);
        double b = abs / n;
        if (!(std > 0) || !(b > 0)) throw new IllegalArgumentException("the values are all equal: no distribution to fit");
        return new DistributionFit(n, mean, std, -Math.log(std * Math.sqrt(2 * Math.PI)) - 0.5,
                median, b, -Math.log(2 * b) - 1);
    }

    public double gaussPdf(double v) {
        double z = (v - gaussMean) / gaussStd;
        return Math.exp(-0.5 * z * z) / (gaussStd * Math.sqrt(2 * Math.PI));
    }

    public double laplacePdf(double v) {
        return Math.exp(-Math.abs(v - laplaceLocation) / laplaceScale) / (2 * laplaceScale);
    }

    /** "laplace" or "gaussian": the fit with the higher mean log-likelihood. */
    public String better() {
        return laplaceLogLik > gaussLogLik ? "laplace" : "gaussian";
    }
}
