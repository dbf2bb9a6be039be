package dev.addernet.method.margin;

import dev.addernet.autograd.CrossEntropy;
import dev.addernet.method.BatchLoss;
import dev.addernet.method.TrainingMethod;
import dev.addernet.models.heads.LSoftmaxHead;
import dev.addernet.nn.Module;
import dev.addernet.optim.ParameterGroup;
import dev.addernet.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * L-Softmax (Liu et al. 2016, Eq. 4-7): cross-entropy of the margin logits of the head's input. The steps
 * taken are the method's state (a float, exact to 2^24 steps), so that a resumed run anneals lambda on.
 * The head's weight trains with the network, under its rules (weight decay included, as any linear layer).
 */
final class LSoftmaxMethod implements TrainingMethod {
    private final LSoftmaxSettings settings;
    private final Tensor steps = Tensor.zeros(1);
    private LSoftmaxHead head;

    LSoftmaxMethod(LSoftmaxSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "lsoftmax";
    }

    @Override
    public List<ParameterGroup> parameterGroups(Module network) {
        head = HeadInput.head(network, LSoftmaxHead.class, "lsoftmax");
        return List.of(ParameterGroup.of("network", network.parameters()));
    }

    @Override
    public BatchLoss loss(Module network, Tensor images, int[] labels) {
        HeadInput run = HeadInput.run(network, head, images);
        double lambda = settings.lambda((long) steps.data[0]);
        steps.data[0]++;
        Tensor loss = CrossEntropy.forward(head.logits(run.features(), labels, settings.margin(), lambda), labels);
        return new BatchLoss(loss, run.logits(), Map.of("lsoftmax_lambda", lambda));
    }

    @Override
    public Map<String, Tensor> state() {
        return Map.of("lsoftmax_steps", steps);
    }
}
