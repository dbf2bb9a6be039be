package dev.addernet.analysis;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A density histogram of values with the fitted Gaussian and Laplace densities over it (Universal
 * AdderNets Fig. 7; SLAC Fig. 1). Bins span the 0.1 to 99.9 percentiles, so a few extreme values do not
 * squeeze the bulk into one bin; densities are counts over (all values x bin width).
 */
public final class HistogramChart {
    private HistogramChart() {}

    /** The chart and the numbers behind it (bin edges, densities, fit parameters and mean log-likelihoods). */
    public record Result(XYChart chart, Map<String, Object> json) {}

    public static Result of(String title, String xLabel, float[] values, int bins) {
        DistributionFit fit = DistributionFit.of(values);
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double lo = sorted[(int) Math.floor(0.001 * (sorted.length - 1))], hi = sorted[(int) Math.ceil(0.999 * (sorted.length - 1))];
        if (!(hi > lo)) {
            lo = sorted[0];
            hi = sorted[sorted.length - 1];
        }
        double width = (hi - lo) / bins;
        double[] density = new double[bins];
        for (float v : values) {
            if (v < lo || v > hi) continue;
            density[Math.min(bins - 1, (int) ((v - lo) / width))] += 1;
        }
        for (int i = 0; i < bins; i++) density[i] /= values.length * width;
        double[] sx = new double[2 * bins], sy = new double[2 * bins], edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = lo + i * width;
        for (int i = 0; i < bins; i++) {
            sx[2 * i] = edges[i];
            sx[2 * i + 1] = edges[i + 1];
            sy[2 * i] = sy[2 * i + 1] = density[i];
        }
        int points = 400;
        double[] px = new double[points], gauss = new double[points], laplace = new double[points];
        for (int i = 0; i < points; i++) {
            px[i] = lo + (hi - lo) * i / (points - 1);
            gauss[i] = fit.gaussPdf(px[i]);
            laplace[i] = fit.laplacePdf(px[i]);
        }
        XYChart c = ChartSheet.chart(520, 400, title, xLabel, "density");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 12));
        var h = c.addSeries(values.length + " values", sx, sy);
        h.setMarker(SeriesMarkers.NONE);
        h.setLineColor(java.awt.Color.GRAY);
        var l = c.addSeries(String.format("Laplace: mean log-lik %.3f", fit.laplaceLogLik()), px, laplace);
        l.setMarker(SeriesMarkers.NONE);
        l.setLineColor(new java.awt.Color(214, 39, 40));
        var g = c.addSeries(String.format("Gaussian: mean log-lik %.3f", fit.gaussLogLik()), px, gauss);
        g.setMarker(SeriesMarkers.NONE);
        g.setLineStyle(SeriesLines.DASH_DASH);
        g.setLineColor(new java.awt.Color(31, 119, 180));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("count", values.length);
        m.put("bin_edges", edges);
        m.put("density", density);
        Map<String, Object> gm = new LinkedHashMap<>();
        gm.put("mean", fit.gaussMean());
        gm.put("std", fit.gaussStd());
        gm.put("mean_log_likelihood", fit.gaussLogLik());
        Map<String, Object> lm = new LinkedHashMap<>();
        lm.put("location", fit.laplaceLocation());
        lm.put("scale", fit.laplaceScale());
        lm.put("mean_log_likelihood", fit.laplaceLogLik());
        m.put("gaussian", gm);
        m.put("laplace", lm);
        m.put("better_fit", fit.better());
        return new Result(c, m);
    }
}
