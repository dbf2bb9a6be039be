package dev.addernet.models.heads;

import dev.addernet.autograd.Reshape;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * A classifier head in place of a network's last layer: from the feature x (the last layer's input, [N, d]
 * or the ResNets' pooled [N, d, 1, 1]) to [N, K] logits whose argmax is the prediction and whose
 * cross-entropy is the head's classification loss. What a head adds in training only (a margin that needs
 * the labels, a likelihood term) is its training method's; the forward here is what eval and infer run.
 */
public abstract class ClassifierHead extends Module {
    protected final int features, classes;

    protected ClassifierHead(int features, int classes) {
        this.features = features;
        this.classes = classes;
    }

    /** The head's name, as {@code --head} and the weights file's configuration give it. */
    public abstract String kind();

    /** Multiplications of one image's forward (the SLAC table's #Mul.), square roots and exponentials not counted. */
    public abstract long multiplications();

    /** Additions and subtractions of one image's forward. */
    public abstract long additions();

    /** x as [N, d]: the ResNets hand their pooled [N, d, 1, 1] feature. */
    public Tensor flat(Tensor x) {
        int n = x.dim(0);
        if (x.numel() != n * features) throw new IllegalArgumentException(describe() + " got input " + x);
        return x.rank() == 2 ? x : Reshape.forward(x, n, features);
    }

    @Override
    public String describe() {
        return kind() + " head(" + features + " -> " + classes + ")";
    }

    /** Xavier (Glorot) uniform for a [rows, cols] tensor: U(-b, b), b = sqrt(6 / (rows + cols)). */
    static Tensor xavier(Rng rng, int rows, int cols) {
        Tensor t = Tensor.zeros(rows, cols);
        double b = Math.sqrt(6.0 / (rows + cols));
        rng.fillUniform(t.data, -b, b);
        return t;
    }
}
