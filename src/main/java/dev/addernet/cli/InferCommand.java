package dev.addernet.cli;

import dev.addernet.Classifier;
import dev.addernet.io.FormatException;
import dev.addernet.io.Json;
import dev.addernet.io.SafeTensors;
import dev.addernet.kernel.Parallel;
import dev.addernet.models.ModelConfig;
import dev.addernet.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code addernet infer}: logits and probabilities of a batch of normalised inputs, in eval mode. */
@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a network in eval mode on the tensor 'input' [N,C,H,W] (normalised) of a safetensors file; "
                + "write 'logits' and 'probabilities' (softmax) [N,classes] to another.")
final class InferCommand implements Callable<Integer> {
    @Option(names = "--weights", required = true, description = "A weights file (from train or import).")
    Path weights;
    @Option(names = "--input", required = true, paramLabel = "X.safetensors", description = "Holds the tensor 'input' [N,C,H,W].")
    Path input;
    @Option(names = "--output", required = true, paramLabel = "Y.safetensors", description = "Written atomically.")
    Path output;
    @Option(names = "--model", description = "Expected architecture (checked against the weights' metadata).")
    String model;
    @Option(names = "--op", description = "Expected op (checked against the weights' metadata).")
    String op;
    @Option(names = "--threads", converter = Ranges.Threads.class, description = "Worker threads, from 1 to 4096 (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        OutputPaths.requireNotAnInput("--output", output, "--weights", weights, "--input", input);
        if (threads != null) Parallel.setThreads(threads);
        Classifier classifier = Classifier.load(weights);
        ModelConfig cfg = classifier.config();
        if ((model != null && !model.equals(cfg.model())) || (op != null && !op.equals(cfg.op()))) {
            throw new IllegalArgumentException(weights + ": the file holds " + cfg.model() + " with op " + cfg.op() + ", not "
                    + (model != null ? model : cfg.model()) + " with op " + (op != null ? op : cfg.op()));
        }
        SafeTensors in = SafeTensors.read(input);
        if (!in.has("input")) throw new FormatException(input, "no tensor 'input'; it has " + in.names());
        int[] shape = in.shape("input");
        int c = cfg.inChannels(), s = cfg.imageSize();
        if (shape.length != 4 || shape[1] != c || shape[2] != s || shape[3] != s) {
            throw new FormatException(input, "tensor 'input' has shape " + Arrays.toString(shape) + ", expected [N, " + c + ", " + s + ", " + s
                    + "] for " + cfg.model() + " (normalised images)");
        }
        Tensor logits = classifier.logits(new Tensor(in.floats("input"), shape));
        float[] probabilities = Classifier.softmax(logits.data, logits.dim(1));
        SafeTensors.writer()
                .put("logits", logits.shape(), logits.data)
                .put("probabilities", logits.shape(), probabilities)
                .metadata("class_names", Json.toJson(classifier.classNames()))
                .metadata("model", cfg.model())
                .metadata("op", cfg.op())
                .write(output);
        System.out.printf("wrote logits and probabilities of %d images (%d classes) to %s%n", shape[0], cfg.numClasses(), output);
        return 0;
    }
}
