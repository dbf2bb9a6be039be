package dev.addernet.cli;

import dev.addernet.data.source.Datasets;
import dev.addernet.data.DatasetSplits;
import dev.addernet.data.LabelledImages;
import dev.addernet.data.transform.Pad;
import dev.addernet.analysis.ChartSheet;
import dev.addernet.analysis.LayerCapture;
import dev.addernet.analysis.Projection;
import dev.addernet.io.Json;
import dev.addernet.kernel.Parallel;
import dev.addernet.models.Heads;
import dev.addernet.models.WeightsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code plot features}: the input of LeNet++'s classifier (module {@code fc2}, or {@code head} when a head replaced it: the 2-d or 3-d feature)
 * for test images, coloured by class, a panel per network (AdderNet Fig. 1, Universal AdderNets Sec. 5.5,
 * SLAC Fig. 3, PKKD Fig. 1): a CNN's classes spread by angle, an AdderNet's cluster around centres.
 */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Scatter LeNet++'s classifier input (its --feature-dim 2 or 3 feature; 3-d projected onto the plane "
                + "of largest second moment) for test images, coloured by class.")
final class PlotFeaturesCommand implements Callable<Integer> {
    @Mixin PlotInputs inputs;
    @Option(names = "--dataset", description = "Dataset (default: the one the weights were trained on).") String dataset;
    @Option(names = "--data-dir") Path dataDir;
    @Option(names = "--limit-test", defaultValue = "0", converter = Ranges.NonNegative.class,
            description = "A fixed random subset of N test images, at least 0 (0: all).") int limitTest;
    @Option(names = "--threads", converter = Ranges.Threads.class, description = "Kernel threads, from 1 to 4096 (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        List<XYChart> charts = new ArrayList<>();
        List<Map<String, Object>> json = new ArrayList<>();
        for (PlotInputs.Network net : inputs.networks("features")) {
            WeightsFile.Loaded w = net.load();
            if (!w.config().model().equals("lenetpp")) {
                throw new IllegalArgumentException(net.weightsFile() + ": holds " + w.config().model()
                        + ", but plot features needs lenetpp (its classifier sees a 2-d or 3-d feature)");
            }
            String name = dataset != null ? dataset : w.dataset();
            DatasetSplits data = Datasets.resolve(name, dataDir);
            LabelledImages test = dev.addernet.train.Trainer.sample(data.testImages(), limitTest);
            if (test.numClasses() != w.config().numClasses()) {
                throw new IllegalArgumentException(net.weightsFile() + ": the weights are for " + w.config().numClasses()
                        + " classes, but " + name + " has " + test.numClasses());
            }
            int size = dev.addernet.data.loading.BatchLoader.outputShape(test, data.evalTransform())[1];
            int padTo = w.config().imageSize() > size ? w.config().imageSize() : 0;
            // the classifier: the model's own fc2, or the head that replaced it (SLAC Fig. 3 plots the heads' features)
            String classifier = Heads.LINEAR.equals(w.config().head()) ? "fc2" : "head";
            LayerCapture.Features f = LayerCapture.capture(w.model(), LayerCapture.find(w.model(), classifier), true, test, data.norm(),
                    Pad.toSize(test, padTo).andThen(data.evalTransform()), 256);
            int dim = f.width(), n = f.count();
            double[] x = new double[n], y = new double[n];
            String projection;
            double[][] plane = null;
            if (dim == 2) {
                projection = "none (2-d features)";
                for (int i = 0; i < n; i++) {
                    x[i] = f.values()[2 * i];
                    y[i] = f.values()[2 * i + 1];
                }
            } else if (dim == 3) {
                plane = Projection.plane(f.values(), n);
                projection = "onto the plane through the origin spanned by the two leading eigenvectors of the second-moment matrix";
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < 3; k++) {
                        x[i] += plane[0][k] * f.values()[3 * i + k];
                        y[i] += plane[1][k] * f.values()[3 * i + k];
                    }
                }
            } else {
                throw new IllegalArgumentException(net.weightsFile() + ": the classifier sees a " + dim + "-d feature; plot features draws 2 or 3");
            }
            XYChart c = ChartSheet.chart(520, 520, net.label() + " (" + w.config().op() + ", " + dim + "-d)", dim == 2 ? "f1" : "u", dim == 2 ? "f2" : "v");
            c.getStyler().setMarkerSize(3);
            c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            List<String> classes = w.classNames();
            for (int k = 0; k < w.config().numClasses(); k++) {
                List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
                for (int i = 0; i < n; i++) if (f.labels()[i] == k) {
                    xs.add(x[i]);
                    ys.add(y[i]);
                }
                if (xs.isEmpty()) continue;
                var s = c.addSeries(k < classes.size() ? classes.get(k) : String.valueOf(k), xs, ys);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(ChartSheet.CLASS_COLORS[k % ChartSheet.CLASS_COLORS.length]);
            }
            charts.add(c);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", net.label());
            m.put("weights", net.weightsFile().toString());
            m.put("op", w.config().op());
            m.put("feature_dim", dim);
            m.put("dataset", name);
            m.put("images", n);
            m.put("projection", projection);
            if (plane != null) m.put("plane", plane);
            m.put("labels", f.labels());
            m.put("features", f.values());
            json.add(m);
        }
        Path png = inputs.png("features");
        ChartSheet.write(png, charts);
        Json.write(PlotInputs.json(png), Map.of("layer", "classifier input", "networks", json));
        System.out.println("wrote " + png + " and " + PlotInputs.json(png));
        return 0;
    }
}
