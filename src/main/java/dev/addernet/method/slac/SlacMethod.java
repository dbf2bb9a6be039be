package dev.addernet.method.slac;

import dev.addernet.autograd.Add;
import dev.addernet.autograd.CrossEntropy;
import dev.addernet.autograd.PickLabel;
import dev.addernet.autograd.Scale;
import dev.addernet.method.BatchLoss;
import dev.addernet.method.TrainingMethod;
import dev.addernet.models.heads.SkewLaplaceHead;
import dev.addernet.nn.Module;
import dev.addernet.nn.Parameter;
import dev.addernet.optim.ParameterGroup;
import dev.addernet.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SLAC (Xu et al. 2021, Eq. 9, Algorithm 1): the skew Laplace head's logits are log f_k(x) + log(1/K), so
 * <ul>
 *   <li>L_c (Eq. 5) is their cross-entropy;</li>
 *   <li>L_nll (Eq. 4) is minus the mean over the batch of each feature's own-class logit: the true
 *       density's negative log-likelihood, the log-terms Eq. 4 drops included, a mean like L_c (where Eq. 4
 *       sums; Eq. 10's lambda beside L_c's per-sample gradient is this mean's);</li>
 *   <li>L_ac (Eq. 8) is {@link AngleConstraint} on the head's parameters.</li>
 * </ul>
 * Parameter groups: the network under the optimiser's rules; mu and gamma at the network's learning rate,
 * Sigma's log at {@code sigmaLrScale} of it (Sec. 4.1-4.2); none of the three takes weight decay, which
 * would pull the class locations towards the origin and the skewness towards zero, against the very
 * likelihood they fit (the paper is silent). A frozen parameter (Table 4) is in no group and takes no
 * gradient, so it keeps its initialisation.
 */
final class SlacMethod implements TrainingMethod {
    /** Under the cosines' norms and the guard of the target's division (see {@link AngleConstraint}). */
    static final double AC_EPS = 1e-8;
    private final SlacSettings settings;
    private SkewLaplaceHead head;

    SlacMethod(SlacSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "slac";
    }

    @Override
    public List<ParameterGroup> parameterGroups(Module network) {
        if (!(network.children().get("head") instanceof SkewLaplaceHead h)) {
            throw new IllegalArgumentException("the slac method needs a network ending in the skew Laplace head (--head slac or sl)");
        }
        head = h;
        Map<String, Parameter> own = new LinkedHashMap<>(network.parameters()), located = new LinkedHashMap<>(), sigma = new LinkedHashMap<>();
        own.values().removeIf(p -> p == h.mu() || p == h.logSigma() || p == h.gamma());
        place("mu", "head.mu", h.mu(), located);
        place("gamma", "head.gamma", h.gamma(), located);
        place("sigma", "head.log_sigma", h.logSigma(), sigma);
        List<ParameterGroup> groups = new ArrayList<>();
        groups.add(ParameterGroup.of("network", own));
        if (!located.isEmpty()) groups.add(new ParameterGroup("slac head", located, 1, 0.0, false));
        if (!sigma.isEmpty()) groups.add(new ParameterGroup("slac covariance", sigma, settings.sigmaLrScale(), 0.0, false));
        return groups;
    }

    private void place(String parameter, String name, Parameter p, Map<String, Parameter> group) {
        if (settings.freeze().contains(parameter)) p.requiresGrad(false);
        else group.put(name, p);
    }

    @Override
    public BatchLoss loss(Module network, Tensor images, int[] labels) {
        Tensor logits = network.forward(images);
        Tensor lc = CrossEntropy.forward(logits, labels);
        Tensor nll = Scale.forward(PickLabel.mean(logits, labels), -1);
        Tensor ac = AngleConstraint.loss(head.mu(), head.logSigma(), head.gamma(), AC_EPS, settings.trainTarget());
        Tensor total = lc;
        if (settings.lambda() != 0) total = Add.forward(total, Scale.forward(nll, settings.lambda()));
        if (settings.beta() != 0) total = Add.forward(total, Scale.forward(ac, settings.beta()));
        return new BatchLoss(total, logits, Map.of("loss_c", (double) lc.item(), "loss_nll", (double) nll.item(), "loss_ac", (double) ac.item()));
    }
}
