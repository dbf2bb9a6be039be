package dev.addernet.models.heads;

import dev.addernet.autograd.SkewLaplace;
import dev.addernet.nn.LayerObserver;
import dev.addernet.nn.Parameter;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * The mixture of multivariate skew Laplace distributions of "Handling Long-tailed Feature Distribution in
 * AdderNets" (Xu et al., NeurIPS 2021, Sec. 3.1, Eq. 2-3, 5): per class a location mu_k (Xavier
 * initialisation), a diagonal covariance Sigma_k and a skewness gamma_k (initialised 1 and 0, Algorithm 1),
 * prior 1/K. The logits are log f_SL(x; mu_k, Sigma_k, gamma_k) + log(1/K) (see {@link SkewLaplace}), so
 * their softmax is the posterior p(k | x) and their cross-entropy L_c. Heads {@code slac} and {@code sl}
 * (the same distribution without the angle-based constraint, Table 3) share it: the constraint and L_nll
 * are the training method's ({@code method.slac}).
 *
 * <p>Sigma_k = exp(s_k) elementwise, s stored as {@code log_sigma} (init 0): positive without a clamp, and
 * its log-determinant is the sum of s. EPS under sqrt(q) keeps the gradient finite when a feature meets
 * its class's location.
 */
public final class SkewLaplaceHead extends ClassifierHead {
    public static final double EPS = 1e-6;
    private final String kind;
    private final Parameter mu, logSigma, gamma;

    public SkewLaplaceHead(String kind, int features, int classes, Rng rng) {
        super(features, classes);
        this.kind = kind;
        mu = param("mu", new Parameter(xavier(rng, classes, features), false));
        logSigma = param("log_sigma", new Parameter(Tensor.zeros(classes, features), false));
        gamma = param("gamma", new Parameter(Tensor.zeros(classes, features), false));
    }

    @Override
    public Tensor forward(Tensor x) {
        return LayerObserver.report(this, x, SkewLaplace.logDensity(flat(x), mu, logSigma, gamma, EPS));
    }

    public Parameter mu() {
        return mu;
    }

    public Parameter logSigma() {
        return logSigma;
    }

    public Parameter gamma() {
        return gamma;
    }

    @Override
    public String kind() {
        return kind;
    }

    /** Per class and feature (Sigma^-1 and Sigma^-1 gamma precomputed): r = x - mu, r Sigma^-1, q += (r Sigma^-1) r, u += r (Sigma^-1 gamma); per class alpha sqrt(q + eps) and the sum of the terms. */
    @Override
    public long multiplications() {
        return (long) classes * (3L * features + 1);
    }

    @Override
    public long additions() {
        return (long) classes * (3L * features + 4);
    }
}
