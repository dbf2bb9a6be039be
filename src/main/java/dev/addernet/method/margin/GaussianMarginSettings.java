package dev.addernet.method.margin;

import dev.addernet.method.MethodContext;
import dev.addernet.method.MethodSettings;
import dev.addernet.method.TrainingMethod;

/**
 * The L-GM loss (Wan et al. 2018, Eq. 8-10) of the {@code lgm} head, and of SLAC's MoM baseline ({@code mom}:
 * the same loss on two Gaussians per class, "the same setting as [LGM]", SLAC Sec. 4.3):
 * L = L_cls(margin alpha) + lambda L_lkd, L_lkd the mean negative log-likelihood of each feature under its
 * own class (without margin; for MoM the two-component mixture's).
 *
 * @param alpha        the margin: the own class's squared distance is multiplied by 1 + alpha
 * @param lambda       the likelihood regulariser's weight
 * @param sigmaLrScale the covariances' learning rate relative to the network's (as SLAC's Sigma, so that the
 *                     heads differ by their distribution only)
 */
public record GaussianMarginSettings(double alpha, double lambda, double sigmaLrScale) implements MethodSettings {
    /**
     * alpha 0.1, lambda 0.1: the authors' released setting as we read it (their CIFAR-100 example grows alpha
     * from 0.1 by steps of 5,000 iterations up to 0.3, so a run shorter than 5,000 steps stays at 0.1; we keep
     * it constant).
     */
    public static final double ALPHA = 0.1, LAMBDA = 0.1;

    public GaussianMarginSettings {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("--margin of the lgm and mom heads must be a number >= 0, got " + alpha);
        if (!(lambda >= 0) || Double.isInfinite(lambda)) throw new IllegalArgumentException("--nll-weight must be a number >= 0, got " + lambda);
        if (!(sigmaLrScale > 0) || Double.isInfinite(sigmaLrScale)) throw new IllegalArgumentException("--sigma-lr-scale must be a number > 0, got " + sigmaLrScale);
    }

    @Override
    public TrainingMethod create(MethodContext context) {
        String head = context.network().head();
        if (!head.equals("lgm") && !head.equals("mom")) throw new IllegalArgumentException("the lgm method trains the lgm and mom heads, not '" + head + "'");
        return new GaussianMarginMethod(this);
    }
}
