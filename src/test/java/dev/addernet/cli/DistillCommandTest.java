package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.io.Json;
import dev.addernet.method.lp.LpSettings;
import dev.addernet.method.pkkd.PkkdSettings;
import dev.addernet.train.SyntheticIdx;
import dev.addernet.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distill} through the command line: its run folder, a fixed teacher from a file, an Lp recipe, and what it refuses. */
class DistillCommandTest {
    @TempDir static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws Exception {
        data = SyntheticIdx.write(tmp.resolve("data"), 256, 64, 9);
    }

    static CliRun run(String command, Path out, String... options) {
        String[] args = Stream.concat(Stream.of(command, "--dataset", "mnist", "--data-dir", data.toString(), "--epochs", "1", "--batch", "64",
                "--threads", "1", "--out", out.toString()), Stream.of(options)).toArray(String[]::new);
        return CliRun.of(args);
    }

    @Test
    void theStudentIsAPlainAdderNetThatEvalScoresAsDistillPrinted() throws Exception {
        Path dir = tmp.resolve("pkkd");
        CliRun r = run("distill", dir);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(dir.resolve("teacher.safetensors")).exists();
        var summary = Json.readTree(dir.resolve("summary.json"));
        var metrics = Json.mapper().readTree(Files.readAllLines(dir.resolve("metrics.jsonl")).get(0));
        for (String key : new String[] {"train_loss", "test_acc", "loss_mid", "loss_blend", "teacher_train_loss", "teacher_train_acc",
                "teacher_test_acc"}) {
            assertThat(metrics.has(key)).as(key).isTrue();
        }
        assertThat(summary.get("feature_loss").asText()).isEqualTo("pkkd");
        CliRun eval = CliRun.of("eval", "--weights", dir.resolve("model.safetensors").toString(), "--data-dir", data.toString(), "--json");
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(Json.mapper().readTree(eval.out()).get("test_acc").asDouble()).isEqualTo(summary.get("final_test_acc").asDouble());
        CliRun teacher = CliRun.of("eval", "--weights", dir.resolve("teacher.safetensors").toString(), "--data-dir", data.toString(), "--json");
        assertThat(Json.mapper().readTree(teacher.out()).get("test_acc").asDouble()).isEqualTo(summary.at("/teacher/final_test_acc").asDouble());
    }

    @Test
    void aFixedTeacherComesFromAWeightsFileOfTheStudentsArchitecture() throws Exception {
        Path cnn = tmp.resolve("cnn"), adder = tmp.resolve("adder");
        assertThat(run("train", cnn, "--op", "conv").code()).isZero();
        assertThat(run("train", adder).code()).isZero();
        Path dir = tmp.resolve("fixed");
        CliRun r = run("distill", dir, "--teacher", cnn.resolve("model.safetensors").toString(), "--feature-loss", "kernel");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Json.readTree(dir.resolve("summary.json")).get("teacher_mode").asText()).isEqualTo("fixed");
        // a fixed teacher does not change: its test accuracy is the CNN's
        assertThat(Json.readTree(dir.resolve("summary.json")).at("/teacher/final_test_acc").asDouble())
                .isEqualTo(Json.readTree(cnn.resolve("summary.json")).get("final_test_acc").asDouble());
        CliErrorsTest.assertOneErrorLine(run("distill", tmp.resolve("bad-teacher"), "--teacher", adder.resolve("model.safetensors").toString()),
                adder.resolve("model.safetensors").toString(), "a CNN of the student's architecture", "op adder");
    }

    @Test
    void anLpRecipeGivesTheStudentItsSchedule() throws Exception {
        Path dir = tmp.resolve("journal");
        CliRun r = run("distill", dir, "--recipe", "cifar-journal", "--model", "lenet5", "--kd-alpha", "0.5");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Trainer.savedConfig(dir).method())
                .isEqualTo(new PkkdSettings(PkkdSettings.PROGRESSIVE, "pkkd", 0.5, 1, 1, false, 0.01, new LpSettings(2, 1, 0.75, true)));
        assertThat(Json.readTree(dir.resolve("summary.json")).get("method").asText()).isEqualTo("pkkd+lp");
        assertThat(Json.mapper().readTree(Files.readAllLines(dir.resolve("metrics.jsonl")).get(0)).get("p").asDouble()).as("p ends at 1 after 3/4 of the only epoch").isEqualTo(1.0);
    }

    @Test
    void refusesAnOpAndBadSettingsInOneLine() {
        CliErrorsTest.assertOneErrorLine(run("distill", tmp.resolve("op"), "--op", "conv"), "--op cannot be given to distill");
        CliErrorsTest.assertOneErrorLine(run("distill", tmp.resolve("fl"), "--feature-loss", "kernels"), "--feature-loss must be one of");
        CliErrorsTest.assertOneErrorLine(run("distill", tmp.resolve("t"), "--kd-temperature", "0"), "--kd-temperature", "above 0");
        CliErrorsTest.assertOneErrorLine(run("distill", tmp.resolve("missing"), "--teacher", tmp.resolve("nope.safetensors").toString()),
                "nope.safetensors");
        CliErrorsTest.assertOneErrorLine(run("distill", tmp.resolve("head"), "--head", "slac"), "PKKD trains the linear head only");
        assertThat(tmp.resolve("op")).doesNotExist();
    }
}
