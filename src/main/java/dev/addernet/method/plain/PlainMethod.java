package dev.addernet.method.plain;

import dev.addernet.autograd.CrossEntropy;
import dev.addernet.method.BatchLoss;
import dev.addernet.method.TrainingMethod;
import dev.addernet.nn.Module;
import dev.addernet.optim.ParameterGroup;
import dev.addernet.tensor.Tensor;
import java.util.List;

/** Supervised training with cross-entropy on the network's logits: every paper's baseline. */
public final class PlainMethod implements TrainingMethod {
    @Override
    public String name() {
        return "plain";
    }

    @Override
    public List<ParameterGroup> parameterGroups(Module network) {
        return List.of(ParameterGroup.of("network", network.parameters()));
    }

    @Override
    public BatchLoss loss(Module network, Tensor images, int[] labels) {
        Tensor logits = network.forward(images);
        return new BatchLoss(CrossEntropy.forward(logits, labels), logits);
    }
}
