package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.io.SafeTensors;
import dev.addernet.train.SyntheticIdx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends in one clear error line on stderr and a non-zero exit, never a bare stack trace. */
class CliErrorsTest {
    @TempDir static Path tmp;
    static Path data, weights;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    static void assertOneErrorLine(CliRun r, String... fragments) {
        assertThat(r.code()).isNotZero();
        String[] lines = r.err().strip().split("\n");
        String last = lines[lines.length - 1];
        assertThat(last).startsWith("error: ");
        for (String f : fragments) assertThat(last).contains(f);
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @BeforeAll
    static void trainSmallModel() throws Exception {
        data = SyntheticIdx.write(tmp.resolve("data"), 256, 64, 1);
        CliRun r = run("train", "--dataset", "mnist", "--data-dir", data.toString(), "--epochs", "1", "--batch", "64",
                "--out", tmp.resolve("run").toString());
        assertThat(r.code()).as(r.err()).isZero();
        weights = tmp.resolve("run/model.safetensors");
    }

    @Test
    void aMissingFileIsNamedWithWhatIsWrong() {
        Path missing = tmp.resolve("no-such-model.safetensors");
        assertOneErrorLine(run("eval", "--weights", missing.toString()), missing.toString() + ": no such file");
        assertOneErrorLine(run("infer", "--weights", missing.toString(), "--input", missing.toString(), "--output",
                tmp.resolve("y.safetensors").toString()), missing.toString() + ": no such file");
    }

    @Test
    void evalReportsAccuracyAsJson() {
        CliRun r = run("eval", "--weights", weights.toString(), "--data-dir", data.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"test_acc\"", "\"top5_acc\"", "\"loss\"", "\"images\":64");
    }

    @Test
    void corruptedIdxFile() throws Exception {
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        try (var files = Files.list(data)) {
            for (Path f : files.toList()) Files.copy(f, bad.resolve(f.getFileName()));
        }
        byte[] images = Files.readAllBytes(bad.resolve("train-images-idx3-ubyte"));
        Files.write(bad.resolve("train-images-idx3-ubyte"), java.util.Arrays.copyOf(images, images.length / 2));
        CliRun r = run("train", "--dataset", "mnist", "--data-dir", bad.toString(), "--epochs", "1", "--out", tmp.resolve("x").toString());
        assertOneErrorLine(r, "train-images-idx3-ubyte");
    }

    @Test
    void missingDataset() {
        CliRun r = run("train", "--dataset", "fashion-mnist", "--data-dir", tmp.resolve("nowhere").toString(), "--out", tmp.resolve("y").toString());
        assertOneErrorLine(r, "nowhere");
    }

    @Test
    void weightsForTheWrongModel() {
        assertOneErrorLine(run("eval", "--weights", weights.toString(), "--model", "resnet20", "--data-dir", data.toString()), "lenet5");
        assertOneErrorLine(run("eval", "--weights", weights.toString(), "--op", "conv", "--data-dir", data.toString()), "adder");
    }

    @Test
    void weightsFileWithAMismatchedTensor() throws Exception {
        SafeTensors st = SafeTensors.read(weights);
        SafeTensors.Writer w = SafeTensors.writer();
        for (String n : st.names()) {
            if (n.equals("conv2.weight")) w.put(n, new int[] {16, 6, 3, 3}, new float[16 * 6 * 9]);
            else w.put(n, st.shape(n), st.floats(n));
        }
        st.metadata().forEach(w::metadata);
        Path tampered = tmp.resolve("tampered.safetensors");
        w.write(tampered);
        assertOneErrorLine(run("eval", "--weights", tampered.toString(), "--data-dir", data.toString()), "conv2.weight");
    }

    @Test
    void notAnAddernetWeightsFile() throws Exception {
        Path fixture = Path.of(getClass().getResource("/fixtures/adder2d-k3s1p1.safetensors").toURI());
        assertOneErrorLine(run("eval", "--weights", fixture.toString(), "--data-dir", data.toString()), "config");
    }

    @Test
    void optionsOfAdderLayersOnAnotherOp() {
        String[][] cases = {{"conv", "--lp-start", "2"}, {"binary", "--lp-end", "1"}, {"conv", "--lp-epochs", "3"},
                {"binary", "--lp-grad", "raw"}, {"conv", "--adder-grad", "sign"}, {"binary", "--eta", "0.1"}, {"conv", "--no-alr"}};
        for (String[] c : cases) {
            String[] args = Stream.concat(Stream.of("train", "--op", c[0], "--dataset", "mnist", "--data-dir", data.toString(),
                    "--out", tmp.resolve("adder-only").toString()), Arrays.stream(c, 1, c.length)).toArray(String[]::new);
            assertOneErrorLine(run(args), c[1] + " applies to adder layers only, not --op " + c[0]);
        }
        assertThat(tmp.resolve("adder-only")).doesNotExist();
    }

    @Test
    void featureDimOnAnotherModel() {
        assertOneErrorLine(run("train", "--model", "lenet5", "--feature-dim", "3", "--dataset", "mnist", "--data-dir", data.toString(),
                "--out", tmp.resolve("feature-dim").toString()), "--feature-dim applies to lenetpp only, not lenet5");
    }

    @Test
    void valueOfTheWrongTypeIsOneLineNotTheUsage() {
        CliRun r = run("train", "--epochs", "abc");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("error: ").contains("--epochs", "'abc'", "(see 'addernet train --help')");
    }

    @Test
    void unknownOptionIsOneLineNotTheUsage() {
        CliRun r = run("train", "--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("error: ").contains("--bogus", "(see 'addernet train --help')");
    }

    /** The jar run as plain {@code java -cp/-jar}, without the Vector API module: one line naming the flag. */
    @Test
    void withoutTheVectorModuleTheErrorNamesTheFlag() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--version").start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out + err).isEqualTo(2);
        assertThat(err.strip()).doesNotContain("\n").startsWith("error: ").contains("--add-modules jdk.incubator.vector");
    }

    @Test
    void resumeRefusesSettingsItWouldIgnore() {
        String run = tmp.resolve("run").toString();
        for (String[] option : new String[][] {{"--epochs", "3"}, {"--lr", "0.5"}, {"--no-alr"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("train", "--resume", "--out", run),
                    java.util.Arrays.stream(option)).toArray(String[]::new);
            assertOneErrorLine(run(args), option[0] + " cannot be given with --resume", "--stop-after");
        }
    }

    @Test
    void badOptionValue() {
        assertOneErrorLine(run("train", "--op", "multiply", "--data-dir", data.toString(), "--out", tmp.resolve("z").toString()), "multiply");
    }
}
