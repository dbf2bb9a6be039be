package dev.addernet.models.heads;

import dev.addernet.autograd.GaussianMixture;
import dev.addernet.nn.LayerObserver;
import dev.addernet.nn.Parameter;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * A Gaussian mixture over the classes with diagonal covariance Sigma = exp(s) ({@code log_sigma}, init 0:
 * Sigma = I), equal priors. One component per class is the L-GM head of Wan et al., "Rethinking Feature
 * Distribution for Loss Functions in Image Classification" (CVPR 2018, Eq. 5-6); two per class with equal
 * weights is SLAC's "mixture of Gaussian mixture" baseline (MoM, Xu et al. 2021, Sec. 4.3). The logits are
 * log p(x | k) + log(1/K) without margin (see {@link GaussianMixture}); the margin and the likelihood
 * regulariser are the training method's ({@code method.margin}).
 *
 * <p>Every component's mean is its own Xavier draw (rows k C + c of {@code mu}), so the two components of
 * a MoM class start apart, at a random offset of the scale of the class means' spread, and separate
 * further only if the data pulls them apart.
 */
public final class GaussianMixtureHead extends ClassifierHead {
    private final String kind;
    private final int components;
    private final Parameter mu, logSigma;

    public GaussianMixtureHead(String kind, int components, int features, int classes, Rng rng) {
        super(features, classes);
        this.kind = kind;
        this.components = components;
        mu = param("mu", new Parameter(xavier(rng, classes * components, features), false));
        logSigma = param("log_sigma", new Parameter(Tensor.zeros(classes * components, features), false));
    }

    @Override
    public Tensor forward(Tensor x) {
        return LayerObserver.report(this, x, logits(flat(x), null, 0));
    }

    /** The log-densities with the true class's distances enlarged by 1 + alpha (labels null: none). */
    public Tensor logits(Tensor features, int[] labels, double alpha) {
        return GaussianMixture.logDensity(features, mu, logSigma, components, labels, alpha);
    }

    public Parameter mu() {
        return mu;
    }

    public Parameter logSigma() {
        return logSigma;
    }

    @Override
    public String kind() {
        return kind;
    }

    /** Per component and feature r = x - mu, r Sigma^-1, times r, accumulate; per component -1/2 d - 1/2 log|Sigma|; log-sum-exp over a class's components. */
    @Override
    public long multiplications() {
        return (long) classes * components * (2L * features + 1);
    }

    @Override
    public long additions() {
        return (long) classes * components * (2L * features + 1) + (long) classes * (components - 1);
    }
}
