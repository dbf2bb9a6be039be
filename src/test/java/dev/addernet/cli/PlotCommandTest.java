package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.io.Json;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.LayerObserver;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Tensor;
import dev.addernet.train.SyntheticIdx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code addernet plot} on freshly initialised networks saved as weights files and a synthetic
 * Fashion-MNIST-format data set: each figure's PNG and the JSON numbers behind it, checked against the
 * networks themselves; missing or incompatible input is a one-line error.
 */
class PlotCommandTest {
    @TempDir Path tmp;
    Path data;

    @BeforeEach
    void setUp() throws Exception {
        data = SyntheticIdx.write(tmp.resolve("data"), 16, 40, 4);
    }

    /** A run folder holding a freshly initialised network (seed 7) and a config.json naming that seed. */
    private Path runWith(String name, String model, String op, int featureDim) throws Exception {
        return runWith(name, model, op, featureDim, "linear");
    }

    private Path runWith(String name, String model, String op, int featureDim, String head) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        ModelConfig cfg = new ModelConfig(model, op, 1, 32, 10, true, featureDim, 1f).withHead(head);
        Module m = Models.build(cfg, 7);
        WeightsFile.save(dir.resolve("model.safetensors"), m, cfg, "fashion-mnist", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
                new float[] {0.286f}, new float[] {0.353f});
        Files.writeString(dir.resolve("config.json"), "{\"config\": {\"seed\": 7, \"model\": \"" + model + "\"}, \"model\": {}}");
        return dir;
    }

    @Test
    void filtersAreTheFirstLayersWeights() throws Exception {
        Path adder = runWith("adder", "lenet5", "adder", 0), conv = runWith("conv", "lenet5", "conv", 0);
        Path png = tmp.resolve("out/filters.png");
        CliRun r = CliRun.of("plot", "filters", "--run", adder.toString(), "--run", conv.toString(), "--out", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode nets = Json.readTree(tmp.resolve("out/filters.json")).get("networks");
        assertThat(nets).hasSize(2);
        float[] w = WeightsFile.load(conv.resolve("model.safetensors")).model().parameters().get("conv1.weight").data;
        JsonNode values = nets.get(1).get("values");
        assertThat(values).hasSize(6 * 25);
        for (int i = 0; i < w.length; i++) assertThat(values.get(i).floatValue()).isEqualTo(w[i]);
        assertThat(nets.get(0).get("op").asText()).isEqualTo("adder");
        assertThat(ImageIO.read(png.toFile()).getWidth()).isGreaterThan(400);
        CliRun bad = CliRun.of("plot", "filters", "--run", conv.toString(), "--layer", "fc1", "--out", png.toString());
        assertThat(bad.err().strip()).isEqualTo("error: " + conv.resolve("model.safetensors") + ": lenet5 has no filter layer 'fc1' (a weight [out, in, k, k])");
    }

    @Test
    void weightHistogramsFitLaplaceAndGaussianBesideTheInitialWeights() throws Exception {
        Path adder = runWith("adder", "lenet5", "adder", 0);
        Path png = tmp.resolve("hist.png");
        CliRun r = CliRun.of("plot", "histograms", "--run", adder.toString(), "--initial", "--out", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode panels = Json.readTree(tmp.resolve("hist.json")).get("panels");
        assertThat(panels).hasSize(2);
        assertThat(panels.get(0).get("kind").asText()).isEqualTo("initial");
        // the run's network is its initialisation (seed 7 from config.json): both panels hold the same numbers
        assertThat(panels.get(0).get("density")).isEqualTo(panels.get(1).get("density"));
        // adder filters start N(0, 1): 48,000 values, a Gaussian fit of std ~1 with log-likelihood ~ -log(sqrt(2 pi e)), the better one
        JsonNode g = panels.get(1).get("gaussian");
        assertThat(panels.get(1).get("count").asInt()).isEqualTo(120 * 16 * 25);
        assertThat(g.get("std").asDouble()).isCloseTo(1.0, Offset.offset(0.02));
        assertThat(g.get("mean_log_likelihood").asDouble()).isCloseTo(-0.5 * Math.log(2 * Math.PI * Math.E), Offset.offset(0.02));
        assertThat(panels.get(1).get("better_fit").asText()).isEqualTo("gaussian");
        assertThat(r.out()).contains("mean log-likelihood Laplace");
        // densities integrate to the fraction of values inside the 0.1-99.9 percentile range
        JsonNode edges = panels.get(1).get("bin_edges"), density = panels.get(1).get("density");
        double mass = 0;
        for (int i = 0; i < density.size(); i++) mass += density.get(i).asDouble() * (edges.get(i + 1).asDouble() - edges.get(i).asDouble());
        assertThat(mass).isBetween(0.997, 1.0);
    }

    @Test
    void featureHistogramsAreTheLayersOutputOnABatch() throws Exception {
        Path conv = runWith("conv", "lenet5", "conv", 0);
        CliRun r = CliRun.of("plot", "histograms", "--run", conv.toString(), "--what", "features", "--images", "24",
                "--data-dir", data.toString(), "--out", tmp.resolve("f.png").toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode p = Json.readTree(tmp.resolve("f.json")).get("panels").get(0);
        assertThat(p.get("count").asInt()).isEqualTo(24 * 120); // conv3's output is 120 x 1 x 1 per image
        assertThat(p.get("kind").asText()).isEqualTo("features");
    }

    @Test
    void featuresAreTheClassifiersInput() throws Exception {
        // conv: the capture is the same, and the test 5x faster
        assertFeaturesAreTheInputOf(runWith("pp", "lenetpp", "conv", 2), "fc2");
    }

    /** A head in place of fc2 (SLAC Fig. 3): the features are the head's input. */
    @Test
    void featuresAreTheHeadsInputWhenAHeadReplacedTheClassifier() throws Exception {
        assertFeaturesAreTheInputOf(runWith("pp-slac", "lenetpp", "conv", 2, "slac"), "head");
    }

    private void assertFeaturesAreTheInputOf(Path pp, String classifier) throws Exception {
        CliRun r = CliRun.of("plot", "features", "--run", pp.toString(), "--data-dir", data.toString(), "--out", tmp.resolve("feat.png").toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode net = Json.readTree(tmp.resolve("feat.json")).get("networks").get(0);
        assertThat(net.get("images").asInt()).isEqualTo(40);
        assertThat(net.get("feature_dim").asInt()).isEqualTo(2);
        JsonNode f = net.get("features");
        assertThat(f).hasSize(80);
        // the same numbers as the classifier's input seen directly, for the first test image (28x28 zero-padded to 32, normalised)
        WeightsFile.Loaded w = WeightsFile.load(pp.resolve("model.safetensors"));
        var test = dev.addernet.data.source.Datasets.resolve("fashion-mnist", data).testImages();
        float[] img = new float[32 * 32];
        java.util.Arrays.fill(img, (0 - 0.2860f) / 0.3530f);
        float[] px = test.sample(0).values(); // in [0, 1]
        for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) img[(y + 2) * 32 + x + 2] = (px[y * 28 + x] - 0.2860f) / 0.3530f;
        Module layer = w.model().children().get(classifier);
        assertThat(layer).as(classifier).isNotNull();
        float[][] seen = new float[1][];
        LayerObserver.watch((m, in, out) -> {
            if (m == layer) seen[0] = in.data.clone();
        }, () -> w.model().forward(new Tensor(img, 1, 1, 32, 32)));
        assertThat(f.get(0).floatValue()).isCloseTo(seen[0][0], Offset.offset(1e-3f * (1 + Math.abs(seen[0][0]))));
        assertThat(f.get(1).floatValue()).isCloseTo(seen[0][1], Offset.offset(1e-3f * (1 + Math.abs(seen[0][1]))));
    }

    @Test
    void threeDimensionalFeaturesAreProjectedOntoAPlaneThatTheJsonNames() throws Exception {
        Path pp = runWith("pp3", "lenetpp", "conv", 3);
        CliRun r = CliRun.of("plot", "features", "--run", pp.toString(), "--data-dir", data.toString(), "--out", tmp.resolve("f3.png").toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode net = Json.readTree(tmp.resolve("f3.json")).get("networks").get(0);
        assertThat(net.get("feature_dim").asInt()).isEqualTo(3);
        assertThat(net.get("features")).hasSize(3 * 40);
        assertThat(net.get("projection").asText()).contains("second-moment");
        JsonNode u = net.get("plane").get(0), v = net.get("plane").get(1);
        double uv = 0, uu = 0;
        for (int k = 0; k < 3; k++) {
            uv += u.get(k).asDouble() * v.get(k).asDouble();
            uu += u.get(k).asDouble() * u.get(k).asDouble();
        }
        assertThat(uv).isCloseTo(0, Offset.offset(1e-9));
        assertThat(uu).isCloseTo(1, Offset.offset(1e-9));
    }

    @Test
    void curvesDrawEveryRun() throws Exception {
        Path a = ReportCommandTest.run(tmp.resolve("x"), "same", "lenet5", "adder", "fashion-mnist", 0, 0.9, 0.9, new double[] {1, 2, 3}, "", "");
        Path b = ReportCommandTest.run(tmp.resolve("y"), "same", "lenet5", "conv", "fashion-mnist", 0, 0.9, 0.9, new double[] {1, 2}, "", "");
        CliRun r = CliRun.of("plot", "curves", "--run", a.toString(), "--run", b.toString(), "--out", tmp.resolve("c.png").toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode runs = Json.readTree(tmp.resolve("c.json")).get("runs");
        assertThat(runs).hasSize(2);
        // two folders of one name are told apart by their paths
        assertThat(runs.get(0).get("label").asText()).isEqualTo(a.toString());
        assertThat(runs.get(0).get("epoch")).hasSize(3);
        assertThat(runs.get(1).get("test_acc")).hasSize(2);
        assertThat(Files.size(tmp.resolve("c.png"))).isPositive();
    }

    @Test
    void missingOrIncompatibleInputIsOneLine() throws Exception {
        Path lenet = runWith("lenet", "lenet5", "conv", 0);
        CliRun wrong = CliRun.of("plot", "features", "--run", lenet.toString(), "--data-dir", data.toString(), "--out", tmp.resolve("z.png").toString());
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err().strip()).isEqualTo("error: " + lenet.resolve("model.safetensors")
                + ": holds lenet5, but plot features needs lenetpp (its classifier sees a 2-d or 3-d feature)");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun noWeights = CliRun.of("plot", "filters", "--run", empty.toString());
        assertThat(noWeights.err().strip()).isEqualTo("error: " + empty.resolve("model.safetensors")
                + ": missing; not a trained run folder (train writes it after its first epoch)");
        assertThat(CliRun.of("plot", "histograms").err().strip()).isEqualTo("error: plot histograms needs --run DIR or --weights FILE");
        assertThat(CliRun.of("plot", "curves", "--run", empty.toString()).err().strip())
                .isEqualTo("error: " + empty.resolve("summary.json") + ": missing; not a training run folder (train writes it)");
        CliRun layer = CliRun.of("plot", "histograms", "--run", lenet.toString(), "--what", "features", "--layer", "conv9", "--images", "8",
                "--data-dir", data.toString(), "--out", tmp.resolve("z.png").toString());
        assertThat(layer.err().strip()).startsWith("error: no layer 'conv9' in the network (its top-level layers: conv1, bn1,");
        assertThat(layer.err()).hasLineCount(1);
        assertThat(Files.exists(tmp.resolve("z.png"))).isFalse();
    }
}
