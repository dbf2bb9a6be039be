package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code addernet report} on hand-written run folders: grouping, the method's default, statistics, --paper, errors. */
class ReportCommandTest {
    @TempDir Path tmp;

    /** A run folder as train writes it (config, summary, metrics), with {@code extraConfig} and {@code extraSummary} spliced in. */
    static Path run(Path root, String name, String model, String op, String dataset, int seed, double finalAcc, double bestAcc,
                    double[] epochSeconds, String extraConfig, String extraSummary) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("config.json"), """
                {"config": {"model": "%s", "op": "%s", "dataset": "%s", "epochs": %d, "seed": %d, "lpStart": null, "lpEnd": null,
                 "lpEpochs": null%s},
                 "model": {"model": "%s"}, "provenance": {"git_commit": "x"}}
                """.formatted(model, op, dataset, epochSeconds.length, seed, extraConfig, model));
        Files.writeString(dir.resolve("summary.json"), """
                {"model": "%s", "op": "%s", "dataset": "%s", "epochs": %d, "final_test_acc": %s, "best_test_acc": %s,
                 "final_train_loss": 0.3, "seconds": 10, "mean_images_per_sec": 100, "weights": "w", "complete": true%s}
                """.formatted(model, op, dataset, epochSeconds.length, finalAcc, bestAcc, extraSummary));
        StringBuilder m = new StringBuilder();
        for (int e = 0; e < epochSeconds.length; e++) {
            m.append("{\"epoch\":%d,\"train_loss\":0.5,\"train_acc\":0.8,\"test_acc\":0.7,\"test_loss\":0.9,\"lr\":0.1,\"seconds\":%s,\"images_per_sec\":1,\"future_key\":[1]}\n"
                    .formatted(e + 1, epochSeconds[e]));
        }
        Files.writeString(dir.resolve("metrics.jsonl"), m.toString());
        return dir;
    }

    @Test
    void groupsByModelOpMethodWithSampleStdAndThePapersNumber() throws Exception {
        Path a0 = run(tmp, "a0", "resnet20", "adder", "cifar10", 0, 0.90, 0.91, new double[] {4, 6}, "", "");
        Path a1 = run(tmp, "a1", "resnet20", "adder", "cifar10", 1, 0.92, 0.93, new double[] {8, 10}, "", "");
        // an Lp run written before config.method existed, and one of a later train that names its method
        Path lp = run(tmp, "lp", "resnet20", "adder", "cifar10", 0, 0.80, 0.80, new double[] {1}, ", \"lpStart\": 2.0", "");
        Path pk = run(tmp, "pkkd", "resnet20", "adder", "cifar10", 3, 0.85, 0.86, new double[] {1, 1, 1},
                ", \"method\": {\"name\": \"plain\"}, \"newField\": {}",
                ", \"method\": \"pkkd\", \"teacher\": {\"model\": \"resnet20\", \"op\": \"conv\"}"); // summary's method wins
        Path jpeg = run(tmp, "jpeg", "resnet20", "conv", "cifar10-jpeg", 0, 0.70, 0.75, new double[] {2}, ", \"method\": \"plain\"", "");
        // train's config.json records the method's settings as an object named by "name" (summary.json may lack it)
        Path lpSettings = run(tmp, "lp2", "resnet20", "adder", "cifar10", 1, 0.82, 0.82, new double[] {1},
                ", \"method\": {\"name\": \"lp\", \"start\": 2.0, \"end\": 1.0}", "");
        CliRun r = CliRun.of("report", a0.toString(), a1.toString(), lp.toString(), pk.toString(), jpeg.toString(), lpSettings.toString(),
                "--paper", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode groups = Json.mapper().readTree(r.out()).get("groups");
        assertThat(groups).hasSize(4);
        JsonNode plain = groups.get(0);
        assertThat(plain.get("method").asText()).isEqualTo("plain");
        assertThat(plain.get("n").asInt()).isEqualTo(2);
        assertThat(plain.get("seeds").toString()).isEqualTo("[0,1]");
        assertThat(plain.get("final_test_acc").get("mean").asDouble()).isCloseTo(0.91, Offset.offset(1e-12));
        // sample std of 0.90 and 0.92: 0.02 / sqrt(2)
        assertThat(plain.get("final_test_acc").get("std").asDouble()).isCloseTo(0.02 / Math.sqrt(2), Offset.offset(1e-12));
        assertThat(plain.get("best_test_acc").get("mean").asDouble()).isCloseTo(0.92, Offset.offset(1e-12));
        assertThat(plain.get("seconds_per_epoch").asDouble()).isCloseTo(7.0, Offset.offset(1e-12)); // (5 + 9) / 2
        assertThat(plain.get("paper").get("test_acc").asDouble()).isEqualTo(0.9184);
        assertThat(groups.get(1).get("method").asText()).isEqualTo("lp");
        assertThat(groups.get(1).get("seeds").toString()).as("the legacy Lp run and the one with method settings").isEqualTo("[0,1]");
        // the two Lp runs record lp_start (lpStart in these older folders) 2.0 and null (the newer keeps it in its method settings, which the older lacks)
        assertThat(groups.get(1).get("settings_that_differ").toString()).isEqualTo("[\"lp_start\"]");
        assertThat(plain.get("settings_that_differ")).as("seeds alone differ").isEmpty();
        assertThat(groups.get(1).get("paper").get("test_acc").asDouble()).isEqualTo(0.9231);
        assertThat(groups.get(2).get("method").asText()).isEqualTo("pkkd");
        assertThat(groups.get(2).get("epochs").toString()).isEqualTo("[3]");
        assertThat(groups.get(2).get("final_test_acc").get("std").isNull()).as("no std from one run").isTrue();
        assertThat(groups.get(3).get("op").asText()).isEqualTo("conv");
        assertThat(groups.get(3).get("paper").get("dataset").asText()).isEqualTo("cifar10");

        CliRun text = CliRun.of("report", a0.toString(), lp.toString(), lpSettings.toString());
        assertThat(text.out()).endsWith("note: the runs of resnet20/adder/lp differ in lp_start\n");
        CliRun md = CliRun.of("report", a0.toString(), a1.toString(), jpeg.toString(), "--paper", "--markdown");
        assertThat(md.out()).contains("| resnet20 | adder | plain | cifar10 | 2 | 0,1 | 91.00 ± 1.41 | 92.00 ± 1.41 | 2 | 7.0 | 91.84 (");
        assertThat(md.out()).contains("| resnet20 | conv | plain | cifar10-jpeg | 1 | 0 | 70.00 | 75.00 | 1 | 2.0 | 92.93 (Universal AdderNets Table 2; original test set) |");
        // grouped by op alone, the adder runs of every method pool; a mixed group takes no paper number
        CliRun byOp = CliRun.of("report", a0.toString(), lp.toString(), "--group-by", "op", "--paper");
        assertThat(byOp.out()).containsPattern("adder +cifar10 +2 +0,0 +85\\.00 ± 7\\.07 .* -\\n");
    }

    @Test
    void errorsNameTheFolderOrFile() throws Exception {
        Path ok = run(tmp, "ok", "lenet5", "adder", "fashion-mnist", 0, 0.9, 0.9, new double[] {1}, "", "");
        CliRun missing = CliRun.of("report", tmp.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("error: " + tmp.resolve("nope") + ": no such run folder");
        Files.delete(ok.resolve("summary.json"));
        CliRun noSummary = CliRun.of("report", ok.toString());
        assertThat(noSummary.err().strip()).isEqualTo("error: " + ok.resolve("summary.json") + ": missing; not a training run folder (train writes it)");
        Files.writeString(ok.resolve("summary.json"), "{\"model\": \"lenet5\", \"op\": \"adder\", \"dataset\": \"d\", \"best_test_acc\": 1}");
        CliRun noKey = CliRun.of("report", ok.toString());
        assertThat(noKey.err().strip()).isEqualTo("error: " + ok.resolve("summary.json") + ": missing \"final_test_acc\"");
        Files.writeString(ok.resolve("summary.json"), "{\"model\": ");
        assertThat(CliRun.of("report", ok.toString()).err()).startsWith("error: " + ok.resolve("summary.json")).hasLineCount(1);
        CliRun group = CliRun.of("report", ok.toString(), "--group-by", "model,lr");
        assertThat(group.err().strip()).isEqualTo("error: --group-by: unknown field 'lr', expected some of model, op, method, dataset");
    }
}
