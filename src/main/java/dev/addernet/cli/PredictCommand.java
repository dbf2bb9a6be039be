package dev.addernet.cli;

import dev.addernet.data.source.ImageDecoder;
import dev.addernet.Classifier;
import dev.addernet.Prediction;
import dev.addernet.kernel.Parallel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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
    @Option(names = "--top", defaultValue = "5", converter = Ranges.Positive.class,
            description = "How many classes to print: at least 1 (default ${DEFAULT-VALUE}).")
    int top;
    @Option(names = "--threads", converter = Ranges.Threads.class, description = "Worker threads, from 1 to 4096 (default: all cores).")
    Integer threads;
    @Option(names = "--max-pixels", converter = Ranges.Pixels.class,
            description = "Refuse pictures with more pixels than this, before decoding them: from 1 to 715827877 (default 67108864, i.e. 8192x8192).")
    Integer maxPixels;
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG or JPEG files.")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        if (maxPixels != null) ImageDecoder.setMaxPixels(maxPixels);
        Classifier classifier = Classifier.load(weights);
        for (Path image : images) {
            Prediction p = classifier.classify(image);
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
}
