package dev.addernet.method.slac;

import dev.addernet.method.MethodContext;
import dev.addernet.method.MethodSettings;
import dev.addernet.method.TrainingMethod;
import java.util.List;

/**
 * SLAC's training (Xu et al. 2021, Eq. 9): L = L_c + lambda L_nll + beta L_ac on the skew Laplace head
 * ({@code --head slac}; {@code --head sl} is the same with beta = 0, Table 3).
 *
 * @param lambda       weight of L_nll (the paper: 0.01)
 * @param beta         weight of L_ac (the paper: 0.1)
 * @param sigmaLrScale the covariances' learning rate relative to the network's (the paper: 1/100 on CIFAR,
 *                     1/1000 on ImageNet)
 * @param freeze       parameters kept at their initialisation, of mu, sigma, gamma (Table 4's rows)
 * @param trainTarget  whether L_ac's target takes a gradient (see {@link AngleConstraint}); false: detached
 */
public record SlacSettings(double lambda, double beta, double sigmaLrScale, List<String> freeze, boolean trainTarget)
        implements MethodSettings {
    public static final List<String> PARAMETERS = List.of("mu", "sigma", "gamma");

    public SlacSettings {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) throw new IllegalArgumentException("--nll-weight (lambda) must be a number >= 0, got " + lambda);
        if (!(beta >= 0) || Double.isInfinite(beta)) throw new IllegalArgumentException("--ac-weight (beta) must be a number >= 0, got " + beta);
        if (!(sigmaLrScale > 0) || Double.isInfinite(sigmaLrScale)) throw new IllegalArgumentException("--sigma-lr-scale must be a number > 0, got " + sigmaLrScale);
        freeze = freeze == null ? List.of() : List.copyOf(freeze);
        for (String p : freeze) {
            if (!PARAMETERS.contains(p)) throw new IllegalArgumentException("--freeze takes " + PARAMETERS + ", got '" + p + "'");
        }
        if (freeze.size() == PARAMETERS.size()) throw new IllegalArgumentException("--freeze: at least one of " + PARAMETERS + " must be trained");
    }

    @Override
    public TrainingMethod create(MethodContext context) {
        String head = context.network().head();
        if (!head.equals("slac") && !head.equals("sl")) {
            throw new IllegalArgumentException("the slac method trains the slac and sl heads, not '" + head + "'");
        }
        if (head.equals("sl") && beta != 0) throw new IllegalArgumentException("--head sl is slac without the angle-based constraint: --ac-weight must be 0, got " + beta);
        return new SlacMethod(this);
    }
}
