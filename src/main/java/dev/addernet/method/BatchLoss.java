package dev.addernet.method;

import dev.addernet.tensor.Tensor;
import java.util.Map;

/**
 * A batch's loss as a method computes it.
 *
 * @param total    the scalar the tape differentiates: everything trained in the step (a progressive teacher's
 *                 own loss included)
 * @param reported the network's own objective, which the epoch line and {@code train_loss} report (for
 *                 plain training the same as {@code total})
 * @param logits   the network's output, from which the training accuracy is counted
 * @param values   named parts worth recording (e.g. {@code loss_mid}): the loop averages each over the epoch,
 *                 weighted by batch size, into metrics.jsonl
 */
public record BatchLoss(Tensor total, float reported, Tensor logits, Map<String, Double> values) {
    /** A loss that is all the network's own. */
    public BatchLoss(Tensor total, Tensor logits) {
        this(total, total.item(), logits, Map.of());
    }

    public BatchLoss(Tensor total, Tensor logits, Map<String, Double> values) {
        this(total, total.item(), logits, values);
    }
}
