package dev.addernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.addernet.data.Normalization;
import dev.addernet.interop.PytorchImport;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's Java API snippet as written, on a small ResNet-20 weights file and a PNG. */
class ClassifierReadmeTest {
    @TempDir Path tmp;

    @Test
    void readmeSnippetRuns() throws Exception {
        ModelConfig cfg = Models.config("resnet20", "adder", 3, 32, 10, null);
        Module net = Models.build(cfg, 5).train(false);
        Path weights = tmp.resolve("resnet20-adder.safetensors");
        WeightsFile.save(weights, net, cfg, "cifar10", PytorchImport.CIFAR10_CLASSES, Normalization.CIFAR.mean(), Normalization.CIFAR.std());
        BufferedImage photo = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 40; y++) for (int x = 0; x < 48; x++) photo.setRGB(x, y, (x * 5) << 16 | (y * 6) << 8 | 90);
        File picture = tmp.resolve("cat.png").toFile();
        ImageIO.write(photo, "png", picture);
        Tensor batch = new Tensor(new float[2 * 3 * 32 * 32], 2, 3, 32, 32);

        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        Prediction p;
        float[] probs;
        try {
            // ---- the README snippet, verbatim ----
            Classifier classifier = Classifier.load(weights);          // a weights file from train or import
            p = classifier.classify(ImageIO.read(picture));             // decoded, resized, normalised as the file says
            System.out.println(p.best() + " " + p.note());              // e.g. "cat 91.20% resized 48x40 -> 32x32 (bilinear)"
            for (Prediction.Entry e : p.top(5)) System.out.printf("%-10s %.4f%n", e.label(), e.probability());
            probs = classifier.probabilities(batch);                    // normalised [N, C, H, W] -> N x classes, row by row
            // ---- end of snippet ----
        } finally {
            System.setOut(stdout);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out.lines().count()).isEqualTo(6);
        assertThat(out).contains("resized 48x40 -> 32x32 (bilinear)").contains(p.best().label());
        List<Prediction.Entry> top = p.top(5);
        assertThat(top).hasSize(5);
        assertThat(top.getFirst()).isEqualTo(p.best());
        for (int i = 1; i < 5; i++) assertThat(top.get(i).probability()).isLessThanOrEqualTo(top.get(i - 1).probability());
        float total = 0;
        for (float v : p.probabilities()) total += v;
        assertThat(total).isCloseTo(1f, within(1e-5f));
        assertThat(probs).hasSize(20);
        assertThat(PytorchImport.CIFAR10_CLASSES).contains(p.best().label());
    }
}
