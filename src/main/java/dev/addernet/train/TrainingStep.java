package dev.addernet.train;

import dev.addernet.autograd.Tape;
import dev.addernet.method.BatchLoss;
import dev.addernet.method.TrainingMethod;
import dev.addernet.nn.Module;
import dev.addernet.optim.Sgd;
import dev.addernet.tensor.Tensor;
import java.util.Map;

/**
 * One step of training, as the loop and {@code bench} run it: the method's loss on an open tape, the
 * backward pass, the optimiser's update. A loss that is not finite stops the step before the backward
 * pass, so the weights stay as they were.
 */
public final class TrainingStep {
    /**
     * What a step leaves: the network's loss as reported, the logits of the batch, the method's named values;
     * {@code finite} whether everything the step differentiated was finite (if not, nothing was updated).
     */
    public record Result(float loss, Tensor logits, Map<String, Double> values, boolean finite) {}

    private final Module network;
    private final TrainingMethod method;
    private final Sgd optimiser;

    public TrainingStep(Module network, TrainingMethod method, Sgd optimiser) {
        this.network = network;
        this.method = method;
        this.optimiser = optimiser;
    }

    public Result run(Tensor images, int[] labels, double lr) {
        BatchLoss l;
        try (Tape tape = Tape.open()) {
            l = method.loss(network, images, labels);
            if (!Float.isFinite(l.total().item()) || !Float.isFinite(l.reported())) return new Result(l.reported(), l.logits(), l.values(), false);
            tape.backward(l.total());
        }
        optimiser.step(lr);
        return new Result(l.reported(), l.logits(), l.values(), true);
    }
}
