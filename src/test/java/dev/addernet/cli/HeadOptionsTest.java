package dev.addernet.cli;

import static dev.addernet.cli.CliErrorsTest.assertOneErrorLine;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.io.Json;
import dev.addernet.train.SyntheticIdx;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --head} through the command line: it selects and records its training method, its options are
 * refused where the head has no use for them (one line each, before any work), and the weights file of a
 * head run is read by eval, count and summary alone, while export refuses the reference's names for it.
 */
class HeadOptionsTest {
    @TempDir static Path tmp;
    static Path data, run;

    @BeforeAll
    static void trainSlac() throws Exception {
        data = SyntheticIdx.write(tmp.resolve("data"), 128, 64, 2);
        run = tmp.resolve("slac");
        CliRun r = CliRun.of("train", "--dataset", "mnist", "--data-dir", data.toString(), "--epochs", "1", "--batch", "64",
                "--threads", "1", "--head", "slac", "--freeze", "gamma", "--ac-target", "trained", "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
    }

    private static CliRun train(String name, String... args) {
        String[] all = new String[args.length + 7];
        System.arraycopy(args, 0, all, 1, args.length);
        all[0] = "train";
        System.arraycopy(new String[] {"--dataset", "mnist", "--data-dir", data.toString(), "--out", tmp.resolve(name).toString()}, 0, all,
                args.length + 1, 6);
        return CliRun.of(all);
    }

    @Test
    void theHeadSelectsAndRecordsItsMethod() throws Exception {
        var method = Json.readTree(run.resolve("config.json")).get("config").get("method");
        assertThat(method.get("name").asText()).isEqualTo("slac");
        assertThat(method.get("lambda").asDouble()).isEqualTo(0.01);
        assertThat(method.get("beta").asDouble()).isEqualTo(0.1);
        assertThat(method.get("sigma_lr_scale").asDouble()).isEqualTo(0.01);
        assertThat(method.get("freeze").get(0).asText()).isEqualTo("gamma");
        assertThat(method.get("train_target").asBoolean()).isTrue();
        assertThat(Json.readTree(run.resolve("config.json")).get("config").get("head").asText()).isEqualTo("slac");
    }

    @Test
    void badCombinationsAreOneLineErrors() {
        assertOneErrorLine(train("a", "--head", "slac", "--nll-weight", "-1"), "--nll-weight", "got -1, expected a finite number at least 0");
        assertOneErrorLine(train("b", "--head", "slac", "--ac-weight", "-0.1"), "--ac-weight", "expected a finite number at least 0");
        assertOneErrorLine(train("c", "--nll-weight", "0.1"), "--nll-weight applies to a --head other than linear");
        assertOneErrorLine(train("d", "--head", "sl", "--ac-weight", "0.1"), "--ac-weight does not apply to --head sl");
        assertOneErrorLine(train("e", "--head", "lsoftmax", "--margin", "1.5"), "--margin of --head lsoftmax must be an integer >= 1");
        assertOneErrorLine(train("f", "--head", "lsoftmax", "--freeze", "mu"), "--freeze does not apply to --head lsoftmax");
        assertOneErrorLine(train("g", "--head", "slac", "--freeze", "mu,sigma,gamma"), "at least one of [mu, sigma, gamma] must be trained");
        assertOneErrorLine(train("h", "--head", "slac", "--freeze", "beta"), "--freeze takes [mu, sigma, gamma], got 'beta'");
        assertOneErrorLine(train("i", "--head", "slac", "--lp-start", "2"), "--lp-start (the Lp scheme) trains the linear head only, not --head slac");
        assertOneErrorLine(train("j", "--head", "lgm", "--recipe", "cifar-journal"), "recipe cifar-journal", "not --head lgm");
        assertOneErrorLine(train("k", "--head", "slac", "--ac-target", "both"), "--ac-target must be detached or trained, got 'both'");
        assertOneErrorLine(train("l", "--head", "mom", "--sigma-lr-scale", "0"), "--sigma-lr-scale", "got 0, expected a finite number above 0");
        for (String n : new String[] {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}) assertThat(tmp.resolve(n)).doesNotExist();
    }

    @Test
    void theWeightsFileAloneServesEvalCountAndSummary() {
        String weights = run.resolve("model.safetensors").toString();
        CliRun eval = CliRun.of("eval", "--weights", weights, "--dataset", "mnist", "--data-dir", data.toString());
        assertThat(eval.code()).as(eval.err()).isZero();
        CliRun count = CliRun.of("count", "--weights", weights);
        assertThat(count.code()).as(count.err()).isZero();
        assertThat(count.out()).contains("head", "slac");
        CliRun summary = CliRun.of("summary", "--weights", weights);
        assertThat(summary.code()).as(summary.err()).isZero();
        assertThat(summary.out()).contains("slac head(84 -> 10)");
        assertOneErrorLine(CliRun.of("export", "--weights", weights, "--pytorch-names", "--out", tmp.resolve("x.safetensors").toString()),
                "--pytorch-names: the reference has no 'slac' head");
        assertThat(tmp.resolve("x.safetensors")).doesNotExist();
    }

    @Test
    void theSlacRecipesAreThePapers() {
        Recipe cifar = Recipe.named("cifar-slac"), imagenet = Recipe.named("imagenet-slac");
        assertThat(cifar).isEqualTo(new Recipe("cifar-slac", "resnet20", "cifar10", 800, 256, 0.1, "cosine", "sgd", 0.9, 5e-4, 0.2, null,
                new Recipe.Head("slac", 0.01)));
        assertThat(imagenet).isEqualTo(new Recipe("imagenet-slac", "resnet18", "imagenet", 300, 256, 0.1, "cosine", "sgd", 0.9, 1e-5, 0.1, null,
                new Recipe.Head("slac", 0.001)));
        assertThat(Recipe.helpTable()).contains("cifar-slac: resnet20 on cifar10, 800 epochs, batch 256", "head slac, covariances' learning rate x 0.01");
    }
}
