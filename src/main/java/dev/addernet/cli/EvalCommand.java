package dev.addernet.cli;

import dev.addernet.data.source.Datasets;
import dev.addernet.data.DatasetSplits;
import dev.addernet.data.DataException;
import dev.addernet.data.LabelledImages;
import dev.addernet.data.transform.Pad;
import dev.addernet.data.loading.BatchLoader;
import dev.addernet.autograd.CrossEntropy;
import dev.addernet.NonFiniteOutput;
import dev.addernet.io.Json;
import dev.addernet.kernel.Parallel;
import dev.addernet.models.WeightsFile;
import dev.addernet.train.Evaluation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code addernet eval}: test accuracy, top-5 accuracy and loss of a weights file. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a weights file on a dataset's test set.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--weights", required = true, description = "A model.safetensors written by train.")
    Path weights;
    @Option(names = "--model", description = "Expected architecture (checked against the file's metadata).")
    String model;
    @Option(names = "--op", description = "Expected op (checked against the file's metadata).")
    String op;
    @Option(names = "--dataset", description = "Dataset (default: the one the weights were trained on).")
    String dataset;
    @Option(names = "--data-dir") Path dataDir;
    @Option(names = "--limit-test", defaultValue = "0", converter = Ranges.NonNegative.class,
            description = "Use a fixed random subset of N test images, at least 0 (0: all).")
    int limitTest;
    @Option(names = "--batch", defaultValue = "512", converter = Ranges.Positive.class,
            description = "Images per forward pass: at least 1 (default ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--threads", converter = Ranges.Threads.class, description = "Worker threads, from 1 to 4096 (default: all cores).")
    Integer threads;
    @Option(names = "--json", description = "Print one JSON object.") boolean json;

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        WeightsFile.Loaded w = WeightsFile.load(weights);
        if ((model != null && !model.equals(w.config().model())) || (op != null && !op.equals(w.config().op()))) {
            throw new IllegalArgumentException(weights + ": the file holds " + w.config().model() + " with op " + w.config().op()
                    + ", not " + (model != null ? model : w.config().model()) + " with op " + (op != null ? op : w.config().op()));
        }
        String name = dataset != null ? dataset : w.dataset();
        DatasetSplits data = Datasets.resolve(name, dataDir);
        LabelledImages test = dev.addernet.train.Trainer.sample(data.testImages(), limitTest);
        if (test.size() == 0) throw new DataException(name + ": the test set has no images, so there is nothing to evaluate");
        int[] shape = BatchLoader.outputShape(test, data.evalTransform());
        var cfg = w.config();
        if (shape[0] != cfg.inChannels() || test.numClasses() != cfg.numClasses() || shape[1] > cfg.imageSize()) {
            throw new IllegalArgumentException(weights + ": the weights are for " + cfg.inChannels() + "-channel " + cfg.imageSize()
                    + "x" + cfg.imageSize() + " images with " + cfg.numClasses() + " classes, but " + name + " has "
                    + shape[0] + "-channel " + shape[1] + "x" + shape[2] + " images with " + test.numClasses() + " classes");
        }
        int padTo = cfg.imageSize() > shape[1] ? cfg.imageSize() : 0;
        Evaluation e = Evaluation.of(w.model(), test, data.norm(), Pad.toSize(test, padTo).andThen(data.evalTransform()), batch,
                (logits, labels) -> CrossEntropy.forward(logits, labels).item());
        // Loss and accuracy of NaN or infinite logits mean nothing (every comparison with NaN is false).
        if (!Double.isFinite(e.loss())) {
            throw new NonFiniteOutput(weights + ": the test loss on " + name + " is " + e.loss()
                    + ": the network's outputs are not finite, so it has no accuracy");
        }
        if (json) {
            System.out.println(Json.toJson(e));
        } else {
            System.out.printf("%s %s on %s (%d images): test accuracy %.2f%%, top-5 %.2f%%, loss %.4f%n",
                    cfg.model(), cfg.op(), name, e.images(), 100 * e.accuracy(), 100 * e.top5(), e.loss());
        }
        return 0;
    }
}
