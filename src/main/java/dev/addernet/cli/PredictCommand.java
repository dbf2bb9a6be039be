package dev.addernet.cli;

import dev.addernet.Classifier;
import dev.addernet.Prediction;
import dev.addernet.kernel.Parallel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code addernet predict}: the top classes of PNG/JPEG pictures. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify PNG/JPEG pictures and print the most probable classes.",
                "Each picture is converted to the network's channels (grey or RGB), fitted to its input size "
                        + "(zero-padded as in training for MNIST-sized pictures, else resized bilinearly; the output says which) "
                        + "and normalised with the mean and std of the weights file."})
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--weights", required = true, description = "A weights file (from train or import).")
    Path weights;
    @Option(names = "--top", defaultValue = "5", description = "How many classes to print (default ${DEFAULT-VALUE}).")
    int top;
    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    Integer threads;
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG or JPEG files.")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        if (top < 1) throw new IllegalArgumentException("--top must be at least 1, got " + top);
        Classifier classifier = Classifier.load(weights);
        for (Path image : images) {
            Prediction p = classifier.classify(read(image));
            System.out.println(image + (p.note().isEmpty() ? "" : " (" + p.note() + ")") + ":");
            List<Prediction.Entry> best = p.top(top);
            int width = best.stream().mapToInt(e -> e.label().length()).max().orElse(0);
            for (int i = 0; i < best.size(); i++) {
                Prediction.Entry e = best.get(i);
                System.out.printf("  %d. %-" + width + "s %7.2f%%%n", i + 1, e.label(), 100 * e.probability());
            }
        }
        return 0;
    }

    private static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such image file");
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            // ImageIO's messages (e.g. "Unsupported Image Type" for CMYK JPEGs) do not say which file.
            throw new IllegalArgumentException(file + ": cannot decode the image: " + e.getMessage(), e);
        }
        if (image == null) throw new IllegalArgumentException(file + ": not a PNG or JPEG image (no decoder recognises it)");
        return image;
    }
}
