package dev.addernet.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.addernet.cli.CliRun;
import dev.addernet.io.SafeTensors;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import, infer, predict and export commands end to end, and their one-line errors. */
class InteropCliTest {
    @TempDir Path tmp;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    static CliRun ok(String... args) {
        CliRun r = run(args);
        assertThat(r.code()).as(r.err()).isZero();
        return r;
    }

    static void assertOneErrorLine(CliRun r, String... fragments) {
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").doesNotContain("\tat ");
        for (String f : fragments) assertThat(r.err()).contains(f);
    }

    static Path input(Path file, int n, long seed) throws Exception {
        float[] x = new float[n * 3 * 32 * 32];
        Rng.derive(seed, 0).fillGaussian(x, 1.0);
        SafeTensors.writer().put("input", new int[] {n, 3, 32, 32}, x).write(file);
        return file;
    }

    @Test
    void importInferPredictAndExportRoundTrip() throws Exception {
        Module original = PytorchImportTest.randomResNet(1).train(false);
        Path pth = TorchFiles.legacy(tmp.resolve("ref.pth"), PytorchImportTest.referenceState(original));
        Path weights = tmp.resolve("imported.safetensors");
        CliRun imported = ok("import", "--pytorch", pth.toString(), "--model", "resnet20", "--op", "adder", "--out", weights.toString());
        assertThat(imported.out()).contains("imported 110 tensors", "PyTorch legacy format", "22 num_batches_tracked dropped", "resnet20 adder on cifar10");
        WeightsFile.Loaded w = WeightsFile.load(weights);
        assertThat(w.dataset()).isEqualTo("cifar10");
        assertThat(w.classNames()).isEqualTo(PytorchImport.CIFAR10_CLASSES);
        assertThat(w.mean()).containsExactly(0.4914f, 0.4822f, 0.4465f);
        assertThat(w.std()).containsExactly(0.2023f, 0.1994f, 0.2010f);
        PytorchImportTest.assertSameState(original, w.model());

        // infer: the file's logits are the model's, probabilities their softmax.
        Path x = input(tmp.resolve("x.safetensors"), 3, 4);
        Path y = tmp.resolve("y.safetensors");
        assertThat(ok("infer", "--weights", weights.toString(), "--input", x.toString(), "--output", y.toString(), "--model", "resnet20").out())
                .contains("wrote logits and probabilities of 3 images (10 classes)");
        SafeTensors out = SafeTensors.read(y);
        Tensor expected = original.forward(new Tensor(SafeTensors.read(x).floats("input"), 3, 3, 32, 32));
        assertThat(out.shape("logits")).containsExactly(3, 10);
        assertThat(out.floats("logits")).containsExactly(expected.data);
        float[] p = out.floats("probabilities");
        for (int i = 0; i < 3; i++) {
            double sum = 0;
            for (int j = 0; j < 10; j++) sum += p[i * 10 + j];
            assertThat(sum).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-5));
        }

        // predict: a picture of the input size and one that needs resizing.
        Path square = tmp.resolve("square.png"), wide = tmp.resolve("wide.jpg");
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB), "png", square.toFile());
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "jpg", wide.toFile());
        String predicted = ok("predict", "--weights", weights.toString(), square.toString(), wide.toString()).out();
        assertThat(predicted).contains(square + ":", wide + " (resized 64x48 -> 32x32 (bilinear)):", "  1. ", "  5. ").doesNotContain("  6. ");
        assertThat(predicted.lines().filter(l -> l.matches("  \\d\\. .*%")).count()).isEqualTo(10);

        // export under the reference's names, then import that file (its metadata names the model).
        Path exported = tmp.resolve("exported.safetensors");
        assertThat(ok("export", "--weights", weights.toString(), "--pytorch-names", "--out", exported.toString()).out())
                .contains("wrote 132 tensors of resnet20 adder under the reference's names");
        Path again = tmp.resolve("again.safetensors");
        ok("import", "--pytorch", exported.toString(), "--out", again.toString());
        PytorchImportTest.assertSameState(original, WeightsFile.load(again).model());
    }

    @Test
    void badInputEndsInOneErrorLine() throws Exception {
        Module net = PytorchImportTest.randomResNet(1);
        Path pth = TorchFiles.legacy(tmp.resolve("ref.pth"), PytorchImportTest.referenceState(net));
        Path weights = tmp.resolve("w.safetensors");
        ok("import", "--pytorch", pth.toString(), "--model", "resnet20", "--out", weights.toString());

        assertOneErrorLine(run("import", "--pytorch", pth.toString(), "--out", tmp.resolve("o").toString()), "--model is required");
        assertOneErrorLine(run("import", "--pytorch", weights.toString(), "--out", tmp.resolve("o").toString()), "already an addernet weights file");
        assertOneErrorLine(run("import", "--pytorch", pth.toString(), "--model", "resnet32", "--out", tmp.resolve("o").toString()),
                "ref.pth", "missing key");
        Path evil = Files.write(tmp.resolve("evil.pth"), new PickleBytes().proto().global("os", "system").str("id").op(0x85).op('R').stop().toByteArray());
        assertOneErrorLine(run("import", "--pytorch", evil.toString(), "--model", "resnet20", "--out", tmp.resolve("o").toString()),
                "evil.pth", "refusing to load global os.system: not a tensor checkpoint");

        Path x = input(tmp.resolve("x.safetensors"), 2, 1);
        Path y = tmp.resolve("y.safetensors");
        assertOneErrorLine(run("infer", "--weights", weights.toString(), "--input", x.toString(), "--output", y.toString(), "--model", "lenet5"),
                "w.safetensors", "holds resnet20 with op adder, not lenet5");
        Path grey = tmp.resolve("grey.safetensors");
        SafeTensors.writer().put("input", new int[] {1, 1, 32, 32}, new float[1024]).write(grey);
        assertOneErrorLine(run("infer", "--weights", weights.toString(), "--input", grey.toString(), "--output", y.toString()),
                "grey.safetensors", "tensor 'input' has shape [1, 1, 32, 32], expected [N, 3, 32, 32]");
        SafeTensors.writer().put("images", new int[] {1}, new float[1]).write(grey);
        assertOneErrorLine(run("infer", "--weights", weights.toString(), "--input", grey.toString(), "--output", y.toString()), "no tensor 'input'");
        assertThat(y).doesNotExist();

        Path text = Files.writeString(tmp.resolve("photo.png"), "not a picture");
        assertOneErrorLine(run("predict", "--weights", weights.toString(), text.toString()), "photo.png", "not a JPEG or PNG");
        assertOneErrorLine(run("predict", "--weights", weights.toString(), tmp.resolve("absent.png").toString()), "absent.png");
    }

    @Test
    void theReleasedCheckpointThroughTheCommandLine() throws Exception {
        assumeTrue(Files.isRegularFile(ReferenceCheckpointTest.CHECKPOINT) && Files.isRegularFile(ReferenceCheckpointTest.FORWARD),
                "the reference checkpoint fixtures are not at " + ReferenceCheckpointTest.DIR.toAbsolutePath().normalize());
        Path weights = tmp.resolve("resnet20-adder.safetensors"), y = tmp.resolve("y.safetensors");
        ok("import", "--pytorch", ReferenceCheckpointTest.CHECKPOINT.toString(), "--model", "resnet20", "--out", weights.toString());
        ok("infer", "--weights", weights.toString(), "--input", ReferenceCheckpointTest.FORWARD.toString(), "--output", y.toString(),
                "--model", "resnet20", "--op", "adder");
        float[] logits = SafeTensors.read(y).floats("logits"), golden = SafeTensors.read(ReferenceCheckpointTest.FORWARD).floats("logits");
        assertThat(ReferenceCheckpointTest.relativeError(logits, golden)).isLessThan(5e-4);
    }

    @Test
    void theReleasedCheckpointRoundTripsThroughExport() throws Exception {
        assumeTrue(Files.isRegularFile(ReferenceCheckpointTest.CHECKPOINT),
                "the reference checkpoint is not at " + ReferenceCheckpointTest.CHECKPOINT.toAbsolutePath().normalize());
        Path weights = tmp.resolve("imported.safetensors"), exported = tmp.resolve("exported.safetensors"), again = tmp.resolve("again.safetensors");
        ok("import", "--pytorch", ReferenceCheckpointTest.CHECKPOINT.toString(), "--model", "resnet20", "--out", weights.toString());
        ok("export", "--weights", weights.toString(), "--pytorch-names", "--out", exported.toString());

        // The exported state dict is the released one without DataParallel's prefix, value for value, except
        // num_batches_tracked: import drops it (eval does not use it), so export writes 0 where the .pth says 77220.
        Map<String, StateTensor> pth = StateDict.read(ReferenceCheckpointTest.CHECKPOINT).tensors(), out = StateDict.read(exported).tensors();
        assertThat(out.keySet()).containsExactlyInAnyOrderElementsOf(pth.keySet().stream().map(k -> k.substring("module.".length())).toList());
        pth.forEach((key, original) -> {
            StateTensor written = out.get(key.substring("module.".length()));
            assertThat(written.shape()).as(key).containsExactly(original.shape());
            if (key.endsWith(".num_batches_tracked")) {
                assertThat(original.values()).as(key).containsExactly(77220f);
                assertThat(written.values()).as(key).containsExactly(0f);
                assertThat(written.dtype()).as(key).isEqualTo("I64");
            } else {
                assertThat(written.values()).as(key).containsExactly(original.values());
            }
        });

        // Imported again, the exported file gives back the first weights file byte for byte.
        ok("import", "--pytorch", exported.toString(), "--out", again.toString());
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(weights));
    }
}
