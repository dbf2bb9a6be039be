package dev.addernet.method.margin;

import dev.addernet.autograd.Add;
import dev.addernet.autograd.CrossEntropy;
import dev.addernet.autograd.PickLabel;
import dev.addernet.autograd.Scale;
import dev.addernet.method.BatchLoss;
import dev.addernet.method.TrainingMethod;
import dev.addernet.models.heads.GaussianMixtureHead;
import dev.addernet.nn.Module;
import dev.addernet.nn.Parameter;
import dev.addernet.optim.ParameterGroup;
import dev.addernet.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * L-GM (Wan et al. 2018): cross-entropy of the margin logits of the head's input (Eq. 8) plus lambda times
 * minus the own class's log-likelihood, a mean over the batch (Eq. 9-10, the constant log-prior aside).
 * The means train at the network's learning rate, the log-covariances at {@code sigmaLrScale} of it; neither
 * takes weight decay (as SLAC's distribution parameters).
 */
final class GaussianMarginMethod implements TrainingMethod {
    private final GaussianMarginSettings settings;
    private GaussianMixtureHead head;

    GaussianMarginMethod(GaussianMarginSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "lgm";
    }

    @Override
    public List<ParameterGroup> parameterGroups(Module network) {
        head = HeadInput.head(network, GaussianMixtureHead.class, "lgm");
        Map<String, Parameter> own = new LinkedHashMap<>(network.parameters());
        own.values().removeIf(p -> p == head.mu() || p == head.logSigma());
        return List.of(ParameterGroup.of("network", own),
                new ParameterGroup("gaussian means", Map.of("head.mu", head.mu()), 1, 0.0, false),
                new ParameterGroup("gaussian covariances", Map.of("head.log_sigma", head.logSigma()), settings.sigmaLrScale(), 0.0, false));
    }

    @Override
    public BatchLoss loss(Module network, Tensor images, int[] labels) {
        HeadInput run = HeadInput.run(network, head, images);
        Tensor cls = CrossEntropy.forward(head.logits(run.features(), labels, settings.alpha()), labels);
        Tensor lkd = Scale.forward(PickLabel.mean(run.logits(), labels), -1);
        Tensor total = settings.lambda() == 0 ? cls : Add.forward(cls, Scale.forward(lkd, settings.lambda()));
        return new BatchLoss(total, run.logits(), Map.of("loss_cls", (double) cls.item(), "loss_lkd", (double) lkd.item()));
    }
}
