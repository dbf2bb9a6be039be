package dev.addernet.cli;

import dev.addernet.data.source.Datasets;
import dev.addernet.data.DatasetSplits;
import dev.addernet.data.LabelledImages;
import dev.addernet.data.transform.Pad;
import dev.addernet.data.loading.BatchLoader;
import dev.addernet.analysis.ChartSheet;
import dev.addernet.analysis.HistogramChart;
import dev.addernet.analysis.LayerCapture;
import dev.addernet.io.Json;
import dev.addernet.kernel.Parallel;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code plot histograms}: a layer's weights, or its output features on a batch of test images, with the
 * maximum-likelihood Gaussian and Laplace fits and their mean log-likelihoods (Universal AdderNets Fig. 7:
 * AdderNet weights Laplace, CNN weights Gaussian; SLAC Fig. 1 for features).
 */
@Command(name = "histograms", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Histogram a layer's weights (or its output on a batch) with fitted Laplace and Gaussian densities "
                + "and each fit's mean log-likelihood, a panel per network.")
final class PlotHistogramsCommand implements Callable<Integer> {
    @Mixin PlotInputs inputs;
    @Option(names = "--layer", defaultValue = "conv3", description = "Dotted layer name (default ${DEFAULT-VALUE}, LeNet-5-BN's third filter layer).")
    String layer;
    @Option(names = "--what", defaultValue = "weights", description = "weights or features (the layer's output on --images test images).")
    String what;
    @Option(names = "--initial", description = "Also the layer's weights at initialisation (same configuration and seed: the run's config.json, else --seed).")
    boolean initial;
    @Option(names = "--seed", defaultValue = "0", description = "Initialisation seed for --initial with --weights (default ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--images", defaultValue = "256", converter = Ranges.Positive.class,
            description = "Test images for --what features, at least 1 (default ${DEFAULT-VALUE}: a batch).") int images;
    @Option(names = "--dataset", description = "Dataset for --what features (default: the one the weights were trained on).") String dataset;
    @Option(names = "--data-dir") Path dataDir;
    @Option(names = "--bins", defaultValue = "60", converter = Ranges.Positive.class, description = "Histogram bins, at least 1 (default ${DEFAULT-VALUE}).")
    int bins;
    @Option(names = "--threads", converter = Ranges.Threads.class, description = "Kernel threads, from 1 to 4096 (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (!what.equals("weights") && !what.equals("features")) throw new IllegalArgumentException("--what: unknown '" + what + "', expected weights or features");
        if (initial && what.equals("features")) throw new IllegalArgumentException("--initial shows initial weights; it does not combine with --what features");
        if (bins < 2) throw new IllegalArgumentException("--bins: expected >= 2, got " + bins);
        if (images < 2) throw new IllegalArgumentException("--images: expected >= 2, got " + images);
        if (threads != null) Parallel.setThreads(threads);
        List<XYChart> charts = new ArrayList<>();
        List<Map<String, Object>> json = new ArrayList<>();
        for (PlotInputs.Network net : inputs.networks("histograms")) {
            WeightsFile.Loaded w = net.load();
            String who = net.label() + ":";
            if (what.equals("weights")) {
                if (initial) {
                    long s = net.seed() != null ? net.seed() : seed;
                    Parameter p0 = weight(Models.build(w.config(), s), net, w);
                    add(charts, json, net, HistogramChart.of(who + " " + layer + " at init (seed " + s + ")", "weight", p0.data, bins), "initial");
                }
                Parameter p = weight(w.model(), net, w);
                add(charts, json, net, HistogramChart.of(who + " " + layer + " weights", "weight", p.data, bins), "trained");
            } else {
                String name = dataset != null ? dataset : w.dataset();
                DatasetSplits data = Datasets.resolve(name, dataDir);
                LabelledImages test = dev.addernet.train.Trainer.sample(data.testImages(), images);
                int size = BatchLoader.outputShape(test, data.evalTransform())[1];
                if (test.numClasses() != w.config().numClasses() || size > w.config().imageSize()) {
                    throw new IllegalArgumentException(net.weightsFile() + ": the weights are for " + w.config().imageSize() + "x" + w.config().imageSize()
                            + " images with " + w.config().numClasses() + " classes, but " + name + " has " + size + "x" + size + " with " + test.numClasses());
                }
                int padTo = w.config().imageSize() > size ? w.config().imageSize() : 0;
                LayerCapture.Features f = LayerCapture.capture(w.model(), LayerCapture.find(w.model(), layer), false, test, data.norm(),
                        Pad.toSize(test, padTo).andThen(data.evalTransform()), 256);
                add(charts, json, net, HistogramChart.of(who + " " + layer + " output, " + f.count() + " " + name + " test images",
                        "output value", f.values(), bins), "features");
            }
        }
        Path png = inputs.png("histograms");
        ChartSheet.write(png, charts);
        Json.write(PlotInputs.json(png), Map.of("layer", layer, "what", what, "panels", json));
        for (Map<String, Object> m : json) {
            @SuppressWarnings("unchecked") Map<String, Object> g = (Map<String, Object>) m.get("gaussian"), l = (Map<String, Object>) m.get("laplace");
            System.out.printf("%s: mean log-likelihood Laplace %.4f, Gaussian %.4f (better: %s)%n", m.get("title"),
                    (double) l.get("mean_log_likelihood"), (double) g.get("mean_log_likelihood"), m.get("better_fit"));
        }
        System.out.println("wrote " + png + " and " + PlotInputs.json(png));
        return 0;
    }

    private Parameter weight(dev.addernet.nn.Module model, PlotInputs.Network net, WeightsFile.Loaded w) {
        Parameter p = model.parameters().get(layer + ".weight");
        if (p == null) throw new IllegalArgumentException(net.weightsFile() + ": " + w.config().model() + " has no layer '" + layer + "' with a weight");
        return p;
    }

    private static void add(List<XYChart> charts, List<Map<String, Object>> json, PlotInputs.Network net, HistogramChart.Result r, String kind) {
        charts.add(r.chart());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", net.label());
        m.put("weights", net.weightsFile().toString());
        m.put("kind", kind);
        m.putAll(r.json());
        json.add(m);
    }
}
