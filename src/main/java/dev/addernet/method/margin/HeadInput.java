package dev.addernet.method.margin;

import dev.addernet.models.heads.ClassifierHead;
import dev.addernet.nn.LayerObserver;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Tensor;

/**
 * A forward pass that also keeps the head's input: a margin needs the labels, which the head's forward
 * never sees, so the method recomputes the training logits from the feature the network handed the head.
 */
record HeadInput(Tensor logits, Tensor features) {
    static <H extends ClassifierHead> H head(Module network, Class<H> type, String method) {
        if (!type.isInstance(network.children().get("head"))) {
            throw new IllegalArgumentException("the " + method + " method needs a network ending in its head (" + type.getSimpleName() + ")");
        }
        return type.cast(network.children().get("head"));
    }

    static HeadInput run(Module network, ClassifierHead head, Tensor images) {
        Tensor[] seen = new Tensor[1];
        Tensor logits = LayerObserver.watch((layer, in, out) -> {
            if (layer == head) seen[0] = in;
        }, () -> network.forward(images));
        return new HeadInput(logits, head.flat(seen[0]));
    }
}
