package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.io.Json;
import dev.addernet.method.lp.LpSettings;
import dev.addernet.method.plain.PlainSettings;
import dev.addernet.train.TrainConfig;
import dev.addernet.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code train}'s command line presents and chooses a training method and head: help in sections with
 * every default, the method recorded in config.json (and read back from a folder written before methods
 * were recorded), and bad combinations refused in one line before any work.
 */
class TrainMethodOptionsTest {
    @TempDir Path tmp;

    @Test
    void helpComesInSectionsWithEveryDefaultAndTheRecipesValues() {
        CliRun r = CliRun.of("train", "--help");
        assertThat(r.code()).isZero();
        String help = r.out();
        String[] sections = {"Data:", "Network:", "Optimisation:", "Adder layers", "Lp-AdderNet", "Run folder:", "Classifier heads", "Recipes"};
        int at = -1;
        for (String s : sections) {
            int i = help.indexOf(s);
            assertThat(i).as("section " + s + " after the one before").isGreaterThan(at);
            at = i;
        }
        // each option line block names its default: a value, or the recipe's
        for (String block : help.substring(help.indexOf("Data:"), help.indexOf("Recipes")).split("\n(?= {2,8}-)")) {
            if (block.strip().startsWith("--")) assertThat(block).as(block).containsPattern("Default|default");
        }
        assertThat(help).contains("cifar-journal: resnet20 on cifar10, 800 epochs, batch 256", "adder runs: Lp, p from 2 to 1 over 75% of the epochs",
                "mnist: lenet5 on fashion-mnist, 5 epochs");
    }

    @Test
    void badCombinationsAreOneLineErrors() {
        CliErrorsTest.assertOneErrorLine(CliRun.of("train", "--head", "cosface", "--out", tmp.resolve("a").toString()), "unknown head 'cosface'",
                "[linear, slac, sl, lsoftmax, lgm, mom]");
        CliErrorsTest.assertOneErrorLine(CliRun.of("train", "--lp-grad", "raw", "--out", tmp.resolve("b").toString()),
                "--lp-grad", "has none");
        CliErrorsTest.assertOneErrorLine(CliRun.of("train", "--op", "conv", "--lp-end", "1.5", "--out", tmp.resolve("c").toString()),
                "--lp-end applies to adder layers only, not --op conv");
        assertThat(tmp.resolve("a")).doesNotExist();
    }

    @Test
    void aConfigWrittenBeforeMethodsWereRecordedIsReadAsItsMethod() throws Exception {
        String before = """
                {"config": {"model": "lenet5", "op": "adder", "firstLast": null, "dataset": "mnist", "dataDir": null, "epochs": 8,
                 "batch": 64, "lr": 0.1, "schedule": "cosine", "optimizer": "nesterov", "momentum": 0.9, "weightDecay": 5e-4,
                 "eta": 0.2, "alr": true, "seed": 1, "threads": 2, "valSplit": 0.0, "limitTrain": 0, "limitTest": 0,
                 "lpStart": 2.0, "lpEnd": null, "lpEpochs": 6.0, "lpClip": false, "adderGrad": null, "featureDim": 0}}""";
        Path lp = tmp.resolve("lp"), plain = tmp.resolve("plain");
        Files.createDirectories(lp);
        Files.createDirectories(plain);
        Files.writeString(lp.resolve("config.json"), before);
        Files.writeString(plain.resolve("config.json"), before.replace("\"lpStart\": 2.0", "\"lpStart\": null")
                .replace("\"lpEpochs\": 6.0", "\"lpEpochs\": null"));
        TrainConfig a = Trainer.savedConfig(lp), b = Trainer.savedConfig(plain);
        assertThat(a.method()).isEqualTo(new LpSettings(2, 1, 6.0, false));
        assertThat(b.method()).isEqualTo(new PlainSettings());
        assertThat(a.epochs()).isEqualTo(8);
        assertThat(a.head()).isNull();
        // and what is written now names the method, has snake_case keys and reads back the same
        Path again = tmp.resolve("again");
        Files.createDirectories(again);
        Json.writeConfig(again.resolve("config.json"), java.util.Map.of("config", a));
        String now = Files.readString(again.resolve("config.json"));
        assertThat(now).contains("\"method\": {", "\"name\": \"lp\"", "\"weight_decay\": 5.0E-4", "\"adder_grad\"")
                .doesNotContain("weightDecay", "adderGrad");
        assertThat(Trainer.savedConfig(again)).isEqualTo(a);
    }
}
