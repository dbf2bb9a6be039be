package dev.addernet.method;

import dev.addernet.autograd.CrossEntropy;
import dev.addernet.models.ModelConfig;
import dev.addernet.nn.Module;
import dev.addernet.optim.ParameterGroup;
import dev.addernet.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a paper trains a network: the loss of a batch, what it trains beside the network, and what it does
 * between steps and epochs. The training loop calls these and names no method; a method never calls the
 * loop. {@link MethodSettings} builds one for a run and is what {@code config.json} records of it.
 *
 * <p>Order of calls: {@link #networkConfig} (the network is then built from it), {@link #parameterGroups}
 * once, the checkpoint restored into {@link #state()} on {@code --resume}, {@link #advance} with the
 * epochs already done; then for each step {@link #advance} and {@link #loss} on an open tape; after each
 * epoch {@link #advance} with the epochs done, evaluation with {@link #evaluationLoss}, {@link #epochValues},
 * and, when the epoch's network is kept, {@link #saveBeside}.
 */
public interface TrainingMethod {
    /** The method's name, as summary.json records it. */
    String name();

    /** The configuration the network is built and saved with (the Lp scheme: at the p reached). */
    default ModelConfig networkConfig(ModelConfig config) {
        return config;
    }

    /**
     * Builds what the method trains beside the network (a teacher, a head, a loss's own layers) and returns
     * every parameter group the optimiser updates, the network's included. Names must be unique over all groups.
     */
    List<ParameterGroup> parameterGroups(Module network);

    /**
     * Called with the training progress in epochs: before every step (epoch + step / steps), after each epoch
     * with the number of epochs done, and once before training (re)starts.
     */
    default void advance(Module network, double epochs) {}

    /** The batch's loss, recorded on the open tape, with the logits that the training accuracy counts. */
    BatchLoss loss(Module network, Tensor images, int[] labels);

    /** The loss reported for held-out data (no tape is open): cross-entropy of the logits unless a method says otherwise. */
    default float evaluationLoss(Tensor logits, int[] labels) {
        return CrossEntropy.forward(logits, labels).item();
    }

    /** Named values of the epoch just finished for metrics.jsonl and the epoch line (the Lp scheme's p). */
    default Map<String, Double> epochValues(Evaluator evaluator) {
        return Map.of();
    }

    /** What the method trains beside the network, by name, for the checkpoint (restored into these tensors). */
    default Map<String, Tensor> state() {
        return Map.of();
    }

    /**
     * Writes the method's own files into the run folder beside {@code model.safetensors} (each atomically),
     * after each epoch whose network is kept; {@code saver} writes a network as a weights file of this run.
     */
    default void saveBeside(Path runFolder, ModelSaver saver) throws IOException {}

    /** Entries the method adds to summary.json, from its {@link #epochValues} and batch values of every epoch so far. */
    default Map<String, Object> summary(List<Map<String, Double>> valuesByEpoch) {
        return Map.of();
    }
}
