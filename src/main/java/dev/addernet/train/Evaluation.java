package dev.addernet.train;

import dev.addernet.data.DataException;
import dev.addernet.data.LabelledImages;
import dev.addernet.data.Normalization;
import dev.addernet.data.transform.SampleTransform;
import dev.addernet.data.transform.Pad;
import dev.addernet.data.loading.Batch;
import dev.addernet.data.loading.BatchLoader;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Tensor;

/**
 * Accuracy, top-5 accuracy and mean loss of a network on a set of images, in eval mode. The loss is the
 * training method's (see {@code TrainingMethod.evaluationLoss}): cross-entropy for every method so far; it
 * is NaN when any logit was not finite, and then the accuracies mean nothing.
 */
public record Evaluation(@JsonProperty("test_acc") double accuracy, @JsonProperty("top5_acc") double top5,
                         double loss, long images) {
    /** A batch's mean loss from its logits and labels (a float32 scalar, as every loss op gives). */
    @FunctionalInterface
    public interface Loss {
        float of(Tensor logits, int[] labels);
    }

    /** Evaluation with the images zero-padded to {@code padTo} x {@code padTo} (0: as they are). */
    public static Evaluation of(Module model, LabelledImages set, Normalization norm, int padTo, int batch, Loss loss) {
        return of(model, set, norm, Pad.toSize(set, padTo), batch, loss);
    }

    /** Evaluation with each image passed through {@code transform} (e.g. a dataset's evalTransform()). */
    public static Evaluation of(Module model, LabelledImages set, Normalization norm, SampleTransform transform, int batch,
                                Loss loss) {
        if (set.size() == 0) throw new DataException(set.name() + ": no images to evaluate on, expected at least 1");
        boolean wasTraining = model.isTraining();
        model.train(false);
        long correct = 0, correct5 = 0, seen = 0;
        double lossSum = 0;
        boolean finite = true;
        try (BatchLoader loader = new BatchLoader(set, batch, false, 0, 0, norm, transform, false)) {
            for (Batch b : loader) {
                Tensor logits = model.forward(new Tensor(b.images(), b.count(), b.channels(), b.height(), b.width()));
                lossSum += loss.of(logits, b.labels()) * b.count();
                for (float v : logits.data) finite &= Float.isFinite(v);
                int c = logits.dim(1);
                for (int i = 0; i < b.count(); i++) {
                    int label = b.labels()[i], rank = 0;
                    float target = logits.data[i * c + label];
                    for (int j = 0; j < c; j++) {
                        float v = logits.data[i * c + j];
                        if (v > target || (v == target && j < label)) rank++;
                    }
                    if (rank == 0) correct++;
                    if (rank < 5) correct5++;
                }
                seen += b.count();
            }
        } finally {
            model.train(wasTraining);
        }
        // A NaN or infinite logit makes the ranking meaningless (every comparison with NaN is false) even when
        // the loss happens to stay finite: the loss says so, and whoever reports the accuracy checks it.
        return new Evaluation((double) correct / seen, (double) correct5 / seen, finite ? lossSum / seen : Double.NaN, seen);
    }
}
