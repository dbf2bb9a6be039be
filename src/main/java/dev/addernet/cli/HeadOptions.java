package dev.addernet.cli;

import dev.addernet.method.MethodSettings;
import dev.addernet.method.margin.GaussianMarginSettings;
import dev.addernet.method.margin.LSoftmaxSettings;
import dev.addernet.method.slac.SlacSettings;
import dev.addernet.models.Heads;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code train}'s options of the classifier heads other than linear (SLAC, Xu et al. 2021, and the heads of its
 * Table 3), and the training method that {@code --head} selects with them. Each option is refused, in one line,
 * where the head has no use for it.
 */
final class HeadOptions {
    /** The covariances' learning-rate scale without a recipe that names one: SLAC's CIFAR value. */
    static final double SIGMA_LR_SCALE = 0.01;

    @Option(names = "--nll-weight", converter = Ranges.NonNegativeReal.class, description = "slac, sl: lambda of L_nll (SLAC Eq. 9; 0.01);"
            + " lgm, mom: lambda of the likelihood regulariser (L-GM Eq. 10; 0.1); at least 0. Default: the head's.")
    Double nllWeight;
    @Option(names = "--ac-weight", converter = Ranges.NonNegativeReal.class,
            description = "slac: beta of the angle-based constraint L_ac (Eq. 9), at least 0. Default: 0.1 (sl: 0, always).")
    Double acWeight;
    @Option(names = "--ac-target", description = "slac: L_ac's target detached (a constant that moves the skewness only) or trained"
            + " (its gradient reaches the locations and covariances too). Default: detached.")
    String acTarget;
    @Option(names = "--freeze", split = ",", description = "slac, sl: keep these of mu, sigma, gamma at their initialisation (Table 4). Default: none.")
    List<String> freeze;
    @Option(names = "--sigma-lr-scale", converter = Ranges.PositiveReal.class,
            description = "slac, sl, lgm, mom: the covariances' learning rate relative to the network's, above 0."
            + " Default: the recipe's (cifar-slac: 0.01, imagenet-slac: 0.001), else 0.01.")
    Double sigmaLrScale;
    @Option(names = "--margin", converter = Ranges.NonNegativeReal.class, description = "lsoftmax: the angular margin m, an integer (2);"
            + " lgm, mom: alpha, the own class's distance times 1 + alpha (0.1); at least 0. Default: the head's.")
    Double margin;

    /** The first option given, or null. */
    String firstGiven() {
        return nllWeight != null ? "--nll-weight" : acWeight != null ? "--ac-weight" : acTarget != null ? "--ac-target"
                : freeze != null ? "--freeze" : sigmaLrScale != null ? "--sigma-lr-scale" : margin != null ? "--margin" : null;
    }

    /** The training method of a head other than linear, with these options over the head's and the recipe's defaults. */
    MethodSettings method(String head, Recipe r) {
        double sigmaScale = sigmaLrScale != null ? sigmaLrScale : r.head() != null ? r.head().sigmaLrScale() : SIGMA_LR_SCALE;
        return switch (head) {
            case "slac", "sl" -> {
                reject(head, "--margin");
                if (head.equals("sl")) reject(head, "--ac-weight", "--ac-target");
                yield new SlacSettings(nllWeight != null ? nllWeight : 0.01, head.equals("sl") ? 0 : acWeight != null ? acWeight : 0.1,
                        sigmaScale, freeze, trainTarget());
            }
            case "lsoftmax" -> {
                reject(head, "--nll-weight", "--ac-weight", "--ac-target", "--freeze", "--sigma-lr-scale");
                double m = margin != null ? margin : 2;
                if (m != Math.rint(m) || m < 1) throw new IllegalArgumentException("--margin of --head lsoftmax must be an integer >= 1, got " + m);
                yield LSoftmaxSettings.defaults((int) m);
            }
            case "lgm", "mom" -> {
                reject(head, "--ac-weight", "--ac-target", "--freeze");
                yield new GaussianMarginSettings(margin != null ? margin : GaussianMarginSettings.ALPHA,
                        nllWeight != null ? nllWeight : GaussianMarginSettings.LAMBDA, sigmaScale);
            }
            default -> throw new IllegalArgumentException("unknown head '" + head + "': expected one of " + Heads.NAMES);
        };
    }

    private void reject(String head, String... options) {
        for (String o : options) {
            boolean given = switch (o) {
                case "--nll-weight" -> nllWeight != null;
                case "--ac-weight" -> acWeight != null;
                case "--ac-target" -> acTarget != null;
                case "--freeze" -> freeze != null;
                case "--sigma-lr-scale" -> sigmaLrScale != null;
                case "--margin" -> margin != null;
                default -> throw new IllegalStateException(o);
            };
            if (given) throw new IllegalArgumentException(o + " does not apply to --head " + head);
        }
    }

    private boolean trainTarget() {
        if (acTarget == null) return false;
        return switch (acTarget) {
            case "detached" -> false;
            case "trained" -> true;
            default -> throw new IllegalArgumentException("--ac-target must be detached or trained, got '" + acTarget + "'");
        };
    }
}
