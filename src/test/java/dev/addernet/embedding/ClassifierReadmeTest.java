package dev.addernet.embedding;

import dev.addernet.data.Normalization;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.addernet.Classifier;
import dev.addernet.Prediction;
import dev.addernet.interop.PytorchImport;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's Java API snippet as written, on a small ResNet-20 weights file and a PNG, and checks
 * that the snippet here is the README's. The test sits outside the {@code dev.addernet} package, as an
 * embedding program does, so the README's imports are the ones the snippet needs.
 */
class ClassifierReadmeTest {
    static final String START = "// ---- README snippet ----", END = "// ---- end of README snippet ----";
    // Maven runs tests in the repository's root.
    static final Path README = Path.of("README.md");
    static final Path THIS_SOURCE = Path.of("src/test/java/dev/addernet/embedding/ClassifierReadmeTest.java");

    @TempDir Path tmp;

    /** What the snippet computed, for the assertions. */
    record Result(Prediction p, float[] probs) {}

    /** The README's snippet between the markers, with the types the README gives its free variables. */
    static Result readmeSnippet(Path weights, File picture, Tensor batch) throws IOException {
        // ---- README snippet ----
        Classifier classifier = Classifier.load(weights);               // a weights file from train or import
        Prediction p = classifier.classify(ImageIO.read(picture));      // decoded, resized, normalised as the file says
        System.out.println(p.best() + " " + p.note());                  // e.g. "cat 91.20% resized 48x40 -> 32x32 (bilinear)"
        for (Prediction.Entry e : p.top(5)) System.out.printf("%-10s %.4f%n", e.label(), e.probability());
        float[] probs = classifier.probabilities(batch);                // normalised [N, C, H, W] -> N x classes, row by row
        // ---- end of README snippet ----
        return new Result(p, probs);
    }

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
        Result r;
        try {
            r = readmeSnippet(weights, picture, batch);
        } finally {
            System.setOut(stdout);
        }
        Prediction p = r.p();
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
        assertThat(r.probs()).hasSize(20);
        assertThat(PytorchImport.CIFAR10_CLASSES).contains(p.best().label());
    }

    @Test
    void theSnippetIsTheReadmes() throws IOException {
        List<String> block = javaBlock(Files.readString(README), "## Java API");
        List<String> source = Files.readAllLines(THIS_SOURCE);
        List<String> imports = block.stream().filter(l -> l.startsWith("import ")).toList();
        assertThat(imports).as("the README's imports").isNotEmpty();
        assertThat(source).as("this file imports what the README does").containsAll(imports);
        String readmeCode = String.join("\n", block.stream().filter(l -> !l.startsWith("import ")).toList());
        String testCode = String.join("\n", between(source, START, END));
        assertThat(code(testCode)).as("the snippet here against the README's (whitespace and // comments ignored)")
                .isEqualTo(code(readmeCode));
    }

    /** The lines of the first {@code ```java} block after {@code heading}. */
    static List<String> javaBlock(String markdown, String heading) {
        List<String> lines = markdown.lines().toList();
        int h = lines.indexOf(heading);
        assertThat(h).as("README heading " + heading).isNotNegative();
        int open = lines.subList(h, lines.size()).indexOf("```java") + h;
        assertThat(open).as("a ```java block after " + heading).isGreaterThan(h);
        int close = lines.subList(open + 1, lines.size()).indexOf("```") + open + 1;
        assertThat(close).as("the end of the ```java block").isGreaterThan(open);
        return lines.subList(open + 1, close);
    }

    /** The lines strictly between the marker lines (compared stripped, so the markers' own mentions do not count). */
    static List<String> between(List<String> lines, String start, String end) {
        List<String> stripped = lines.stream().map(String::strip).toList();
        int from = stripped.indexOf(start), to = stripped.indexOf(end);
        assertThat(from).as(start).isNotNegative();
        assertThat(to).as(end).isGreaterThan(from);
        return lines.subList(from + 1, to);
    }

    /** Java source without {@code //} comments and without whitespace outside string and char literals. */
    static String code(String java) {
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < java.length(); i++) {
            char c = java.charAt(i);
            if (quote != 0) {
                out.append(c);
                if (c == '\\' && i + 1 < java.length()) out.append(java.charAt(++i));
                else if (c == quote) quote = 0;
            } else if (c == '/' && i + 1 < java.length() && java.charAt(i + 1) == '/') {
                while (i + 1 < java.length() && java.charAt(i + 1) != '\n') i++;
            } else if (!Character.isWhitespace(c)) {
                if (c == '"' || c == '\'') quote = c;
                out.append(c);
            }
        }
        return out.toString();
    }
}
