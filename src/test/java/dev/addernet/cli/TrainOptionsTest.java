package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.addernet.method.lp.LpSettings;
import dev.addernet.method.plain.PlainSettings;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.Parameter;
import dev.addernet.tensor.Tensor;
import dev.addernet.train.SyntheticIdx;
import dev.addernet.train.TrainConfig;
import dev.addernet.train.Trainer;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code train}'s options become in the run: a recipe's defaults, explicit options over them, the model
 * they build and the optimiser and adder layers they reach. The synthetic set has 128 training images.
 */
class TrainOptionsTest {
    @TempDir static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws Exception {
        data = SyntheticIdx.write(tmp.resolve("data"), 128, 64, 3);
    }

    /** Trains on the synthetic set with the given options (testing on 16 images only); returns the run folder. */
    static Path train(String name, String... options) {
        Path dir = tmp.resolve(name);
        String[] args = Stream.concat(Stream.of("train", "--dataset", "mnist", "--data-dir", data.toString(), "--threads", "2",
                "--limit-test", "16", "--out", dir.toString()), Stream.of(options)).toArray(String[]::new);
        CliRun r = CliRun.of(args);
        assertThat(r.code()).as(r.err()).isZero();
        return dir;
    }

    @Test
    void lenetppFeatureDimension() throws Exception {
        Path dir = train("lenetpp-3", "--model", "lenetpp", "--op", "conv", "--feature-dim", "3", "--epochs", "1", "--batch", "32",
                "--limit-train", "32");
        WeightsFile.Loaded w = WeightsFile.load(dir.resolve("model.safetensors"));
        assertThat(w.config().featureDim()).isEqualTo(3);
        assertThat(w.model().state().get("fc1.weight").shape()).containsExactly(3, 128 * 3 * 3);
        assertThat(w.model().state().get("fc2.weight").shape()).containsExactly(10, 3);
    }

    @Test
    void aSavedConfigurationStartsANewRunAndTheOptionsGivenReplaceItsValues() throws Exception {
        Path first = train("saved", "--op", "conv", "--epochs", "1", "--batch", "32", "--lr", "0.05", "--weight-decay", "1e-3",
                "--schedule", "constant", "--limit-train", "64", "--seed", "3");
        String keys = java.nio.file.Files.readString(first.resolve("config.json"));
        assertThat(keys).contains("\"weight_decay\"", "\"limit_train\"", "\"in_channels\"").doesNotContain("\"weightDecay\"", "\"inChannels\"");
        TrainConfig saved = Trainer.savedConfig(first);

        // the saved run again with another seed and batch: everything else as saved, not the recipe's
        Path second = train("from-saved", "--config", first.resolve("config.json").toString(), "--seed", "4", "--batch", "16");
        TrainConfig again = Trainer.savedConfig(second);
        assertThat(again).isEqualTo(new TrainConfig(saved.model(), saved.op(), saved.firstLast(), saved.dataset(), saved.dataDir(),
                saved.epochs(), 16, saved.lr(), saved.schedule(), saved.optimizer(), saved.momentum(), saved.weightDecay(), saved.eta(),
                saved.alr(), 4, saved.threads(), saved.valSplit(), saved.limitTrain(), saved.limitTest(), saved.adderGrad(), saved.featureDim(),
                saved.head(), saved.method(), saved.shards()));
        assertThat(saved.op()).isEqualTo("conv");
        assertThat(saved.lr()).isEqualTo(0.05);

        // a method option replaces the saved method; --resume and --recipe do not go with --config
        assertThat(Trainer.savedConfig(train("from-saved-lp", "--config", first.resolve("config.json").toString(), "--op", "adder",
                "--lp-start", "1.5")).method()).isEqualTo(new LpSettings(1.5, 1, null, true));
        CliErrorsTest.assertOneErrorLine(CliRun.of("train", "--config", first.resolve("config.json").toString(), "--resume",
                "--out", first.toString()), "--config cannot be given with --resume");
        CliErrorsTest.assertOneErrorLine(CliRun.of("train", "--config", first.resolve("config.json").toString(), "--recipe", "mnist",
                "--out", tmp.resolve("never").toString()), "--recipe cannot be given with --config");
    }

    @Test
    void theGlobalKernelsOptionRunsTheReferenceAndTheRunRecordsIt() throws Exception {
        String[] run = {"train", "--dataset", "mnist", "--data-dir", data.toString(), "--threads", "2", "--limit-test", "16",
                "--epochs", "1", "--batch", "32", "--limit-train", "64"};
        Path fast = tmp.resolve("kernels-fast"), reference = tmp.resolve("kernels-reference");
        CliRun f = CliRun.of(Stream.concat(Stream.of(run), Stream.of("--out", fast.toString())).toArray(String[]::new));
        CliRun r = CliRun.of(Stream.concat(Stream.of("--kernels", "reference"), Stream.concat(Stream.of(run), Stream.of("--out",
                reference.toString()))).toArray(String[]::new));
        assertThat(f.code()).as(f.err()).isZero();
        assertThat(r.code()).as(r.err()).isZero();
        var provenance = dev.addernet.io.Json.readTree(reference.resolve("config.json")).get("provenance");
        assertThat(provenance.get("kernels").asText()).isEqualTo("reference");
        assertThat(dev.addernet.io.Json.readTree(fast.resolve("config.json")).get("provenance").get("kernels").asText()).isEqualTo("fast");
        assertThat(dev.addernet.kernel.ConvKernels.usingReference()).as("the next command line starts on the fast kernels").isFalse();
        // the same training in double precision: the same loss to float32's rounding, not the same bits
        double lossFast = dev.addernet.io.Json.readTree(fast.resolve("summary.json")).get("final_train_loss").asDouble();
        double lossReference = dev.addernet.io.Json.readTree(reference.resolve("summary.json")).get("final_train_loss").asDouble();
        assertThat(lossReference).isCloseTo(lossFast, within(1e-3 * lossFast)).isNotEqualTo(lossFast);
        CliErrorsTest.assertOneErrorLine(CliRun.of("--kernels", "slow", "count", "--model", "lenet5"), "--kernels must be fast or reference");
    }

    @Test
    void aRunFolderWrittenWithCamelCaseKeysResumes() throws Exception {
        Path dir = train("camel", "--op", "conv", "--epochs", "2", "--batch", "32", "--limit-train", "64", "--stop-after", "1");
        Path config = dir.resolve("config.json");
        TrainConfig saved = Trainer.savedConfig(dir);
        String camel = java.util.regex.Pattern.compile("\"([a-z]+)_([a-z])").matcher(java.nio.file.Files.readString(config))
                .replaceAll(m -> "\"" + m.group(1) + m.group(2).toUpperCase());
        assertThat(camel).contains("\"weightDecay\"", "\"inChannels\"").doesNotContain("\"weight_decay\"");
        java.nio.file.Files.writeString(config, camel);
        assertThat(Trainer.savedConfig(dir)).isEqualTo(saved);

        CliRun r = CliRun.of("train", "--resume", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("resuming", "epoch 2/2");
    }

    @Test
    void recipeSetsTheDefaultsAndExplicitOptionsOverrideThem() throws Exception {
        // cifar-journal on lenet5 (an adder run): the recipe's every setting, its Lp schedule over 600 of 800 epochs
        TrainConfig journal = Trainer.savedConfig(train("journal", "--recipe", "cifar-journal", "--model", "lenet5", "--stop-after", "1"));
        assertThat(journal.epochs()).isEqualTo(800);
        assertThat(journal.batch()).isEqualTo(256);
        assertThat(journal.lr()).isEqualTo(0.1);
        assertThat(journal.schedule()).isEqualTo("poly");
        assertThat(journal.optimizer()).isEqualTo("sgd");
        assertThat(journal.momentum()).isEqualTo(0.9);
        assertThat(journal.weightDecay()).isEqualTo(5e-4);
        assertThat(journal.eta()).isEqualTo(0.1);
        assertThat(journal.alr()).isTrue();
        assertThat(journal.method()).isEqualTo(new LpSettings(2, 1, 600.0, true));

        // explicit options win; the Lp schedule keeps its 3/4 of the epochs
        TrainConfig own = Trainer.savedConfig(train("journal-own", "--recipe", "cifar-journal", "--model", "lenet5", "--epochs", "1",
                "--batch", "64", "--lr", "0.02", "--schedule", "constant", "--optimizer", "nesterov", "--momentum", "0.8",
                "--weight-decay", "1e-4", "--eta", "0.3"));
        assertThat(own.epochs()).isEqualTo(1);
        assertThat(own.batch()).isEqualTo(64);
        assertThat(own.lr()).isEqualTo(0.02);
        assertThat(own.schedule()).isEqualTo("constant");
        assertThat(own.optimizer()).isEqualTo("nesterov");
        assertThat(own.momentum()).isEqualTo(0.8);
        assertThat(own.weightDecay()).isEqualTo(1e-4);
        assertThat(own.eta()).isEqualTo(0.3);
        assertThat(own.method()).isEqualTo(new LpSettings(2, 1, 0.75, true));

        // an Lp option of the user's replaces the recipe's schedule; a CNN gets none (and the recipe's eta is no error)
        TrainConfig l2 = Trainer.savedConfig(train("journal-l2", "--recipe", "cifar-journal", "--model", "lenet5", "--epochs", "1",
                "--lp-end", "2"));
        assertThat(l2.method()).isEqualTo(new LpSettings(2, 2, null, true));
        TrainConfig cnn = Trainer.savedConfig(train("journal-cnn", "--recipe", "cifar-journal", "--model", "lenet5", "--op", "conv",
                "--epochs", "1"));
        assertThat(cnn.method()).isEqualTo(new PlainSettings());

        TrainConfig reference = Trainer.savedConfig(train("reference", "--recipe", "cifar-reference", "--model", "lenet5", "--stop-after", "1"));
        assertThat(reference.epochs()).isEqualTo(400);
        assertThat(reference.schedule()).isEqualTo("cosine-epoch");
        assertThat(reference.optimizer()).isEqualTo("sgd");
        assertThat(reference.eta()).isEqualTo(0.2);
        assertThat(reference.method()).isEqualTo(new PlainSettings());
    }

    /**
     * One step over all 128 images, constant lr, no momentum or weight decay, so each weight moves by -lr times
     * its step's gradient: with ALR (Eq. 33) every adder layer's move has norm lr * eta * sqrt(k).
     */
    @Test
    void adderOptionsReachTheOptimiserAndTheLayers() throws Exception {
        String[] oneStep = {"--model", "lenet5", "--epochs", "1", "--batch", "128", "--lr", "0.01", "--schedule", "constant",
                "--optimizer", "sgd", "--momentum", "0", "--weight-decay", "0"};
        Map<String, Tensor> alr = weights(train("alr", concat(oneStep, "--eta", "0.3")));
        Map<String, Parameter> initial = Models.build(WeightsFile.load(tmp.resolve("alr/model.safetensors")).config(), 0).parameters();
        initial.forEach((name, p) -> {
            if (!p.isAdder()) return;
            double sq = 0;
            for (int i = 0; i < p.data.length; i++) sq += Math.pow(alr.get(name).data[i] - p.data[i], 2);
            assertThat(Math.sqrt(sq)).as(name).isCloseTo(0.01 * 0.3 * Math.sqrt(p.data.length), within(1e-4 * 0.01 * 0.3 * Math.sqrt(p.data.length)));
        });

        // --no-alr: eta (used only by ALR) changes nothing
        Map<String, Tensor> plain = weights(train("no-alr", concat(oneStep, "--no-alr", "--eta", "0.3")));
        Map<String, Tensor> plainOtherEta = weights(train("no-alr-eta", concat(oneStep, "--no-alr", "--eta", "0.1")));
        assertThat(plain.get("conv2.weight").data).isNotEqualTo(alr.get("conv2.weight").data);
        plain.forEach((name, t) -> assertThat(plainOtherEta.get(name).data).as(name).containsExactly(t.data));

        // --adder-grad sign: every adder layer gets another weight gradient (Eq. 22 instead of 23)
        Map<String, Tensor> sign = weights(train("sign", concat(oneStep, "--no-alr", "--adder-grad", "sign")));
        initial.forEach((name, p) -> {
            if (p.isAdder()) assertThat(sign.get(name).data).as(name).isNotEqualTo(plain.get(name).data);
        });
    }

    private static Map<String, Tensor> weights(Path run) throws Exception {
        return WeightsFile.load(run.resolve("model.safetensors")).model().state();
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
