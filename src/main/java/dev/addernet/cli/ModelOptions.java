package dev.addernet.cli;

import dev.addernet.models.Heads;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
import dev.addernet.kernel.Op;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that name a network for analysis commands ({@code summary}, {@code count}): an architecture
 * and op on the data it was defined for (see {@link Models#standard}), or the configuration saved in a
 * weights file.
 */
final class ModelOptions {
    @Option(names = "--model", description = "Architecture: one of ${COMPLETION-CANDIDATES}.", completionCandidates = ModelNames.class)
    String model;
    @Option(names = "--op", description = "Filter op: conv, adder or binary (default adder).")
    String op;
    @Option(names = "--first-last", description = FirstLastOption.DESCRIPTION)
    String firstLast;
    @Option(names = "--num-classes", converter = Ranges.Classes.class,
            description = "Classes, from 1 to 100000 (default: 10, 1000 for the ImageNet ResNets).")
    Integer numClasses;
    @Option(names = "--feature-dim", converter = Ranges.FeatureDim.class, description = "LeNet++ feature dimension, from 1 to 65536 (default 2).")
    Integer featureDim;
    @Option(names = "--head", description = "Classifier head: linear (default), slac, sl, lsoftmax, lgm, mom.")
    String head;
    @Option(names = "--weights", description = "Take the model configuration from this weights file instead.")
    Path weights;

    static final class ModelNames implements Iterable<String> {
        @Override public java.util.Iterator<String> iterator() { return Models.NAMES.iterator(); }
    }

    ModelConfig config() throws IOException {
        if (weights != null) {
            if (model != null || op != null || firstLast != null || numClasses != null || featureDim != null || head != null) {
                throw new IllegalArgumentException("--weights takes the model configuration from the file: drop --model, "
                        + "--op, --first-last, --num-classes, --feature-dim and --head");
            }
            return WeightsFile.load(weights).config();
        }
        if (model == null) throw new IllegalArgumentException("--model is required (one of " + Models.NAMES + "), or --weights");
        String opName = op != null ? op : "adder";
        Op.parse(opName);
        Boolean fl = FirstLastOption.parse(firstLast, opName);
        if (head != null) Heads.check(head);
        return Models.standard(model, opName, fl, numClasses == null ? 0 : numClasses, featureDim == null ? 0 : featureDim).withHead(head);
    }
}
