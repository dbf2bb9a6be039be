package dev.addernet.models.heads;

import dev.addernet.autograd.LargeMargin;
import dev.addernet.nn.LayerObserver;
import dev.addernet.nn.Parameter;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * The L-Softmax head of Liu et al., "Large-Margin Softmax Loss for Convolutional Neural Networks" (ICML
 * 2016): a full-precision fully connected layer without bias, f_k = W_k x (their Eq. 4 writes it
 * |W_k| |x| cos(theta_k)). The angular margin psi(theta) of the own class is applied in training only (their
 * Sec. 3.3: prediction uses W x), by the training method ({@code method.margin}) through {@link LargeMargin}.
 * The weight is initialised as the network's own linear layers, U(-1/sqrt(d), 1/sqrt(d)).
 */
public final class LSoftmaxHead extends ClassifierHead {
    private final Parameter weight;

    public LSoftmaxHead(int features, int classes, Rng rng) {
        super(features, classes);
        Tensor w = Tensor.zeros(classes, features);
        double b = 1 / Math.sqrt(features);
        rng.fillUniform(w.data, -b, b);
        weight = param("weight", new Parameter(w, false));
    }

    @Override
    public Tensor forward(Tensor x) {
        return LayerObserver.report(this, x, logits(flat(x), null, 1, 0));
    }

    /** The logits with margin m on the own class, blended with weight lambda (labels null: W x). */
    public Tensor logits(Tensor features, int[] labels, int margin, double lambda) {
        return LargeMargin.logits(features, weight, labels, margin, lambda);
    }

    @Override
    public String kind() {
        return "lsoftmax";
    }

    @Override
    public long multiplications() {
        return (long) classes * features;
    }

    @Override
    public long additions() {
        return (long) classes * features;
    }
}
