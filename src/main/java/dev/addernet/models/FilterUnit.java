package dev.addernet.models;

import dev.addernet.nn.BatchNorm;
import dev.addernet.nn.Conv2d;
import dev.addernet.nn.Layers.ReLU;
import dev.addernet.nn.Linear;
import dev.addernet.nn.Module;
import dev.addernet.kernel.Op;
import dev.addernet.nn.Sequential;
import dev.addernet.tensor.Rng;

/**
 * How a filter layer (conv, adder or binary) meets its BatchNorm and activation in the plain (non-residual)
 * networks and the ResNets' first and last layers; the residual blocks follow the same rule.
 *
 * <ul>
 *   <li>Conv and adder: layer, BN over its output, ReLU (the papers' order).</li>
 *   <li>Binary, XNOR-Net's order (Rastegari et al. 2016, Fig. 3: BNorm, BinActiv, BinConv, Pool): BN over
 *       the layer's <em>input</em>, then the layer, whose sign sees the zero-centred BN output (after a
 *       ReLU every sign would be +1 and the layer could not learn), and no ReLU: the sign is the
 *       nonlinearity. The BN keeps the name of the layer's BN in the other order.</li>
 * </ul>
 */
final class FilterUnit {
    private FilterUnit() {}

    /** Appends the unit: {@code layer} (a Conv2d or Linear) of {@code in -> out} channels; {@code relu} null for none. */
    static void add(Sequential s, String name, Module layer, int in, int out, String bn, String relu) {
        if (opOf(layer) == Op.BINARY) {
            s.add(bn, new BatchNorm(in)).add(name, layer);
            return;
        }
        s.add(name, layer).add(bn, new BatchNorm(out));
        if (relu != null) s.add(relu, new ReLU());
    }

    /**
     * Appends the network's classifier from its {@code in} features to the classes: the seam where every model's
     * head is built (see {@link Heads}). The model's own, {@code linear}: {@code layer} then BatchNorm {@code bn}
     * over the logits (LeNet-5-BN and the AdderNet reference); binary: {@code bn} over the input, the layer, then
     * {@code logitsBn} over the classes. Any other head replaces all of these by the module {@code head} on the
     * {@code in} features, whatever the network's op (the head is the paper's full-precision last layer); it is
     * initialised from {@code rng} after {@code layer} was, so the layers before it start as with the model's own.
     */
    static void classifier(Sequential s, String head, String name, Module layer, int in, int classes, String bn, String logitsBn, Rng rng) {
        Heads.check(head);
        if (!head.equals(Heads.LINEAR)) {
            s.add("head", Heads.build(head, in, classes, rng));
        } else if (opOf(layer) == Op.BINARY) {
            s.add(bn, new BatchNorm(in)).add(name, layer).add(logitsBn, new BatchNorm(classes));
        } else {
            s.add(name, layer).add(bn, new BatchNorm(classes));
        }
    }

    private static Op opOf(Module layer) {
        return switch (layer) {
            case Conv2d c -> c.op();
            case Linear l -> l.op();
            default -> throw new IllegalArgumentException("not a filter layer: " + layer.describe());
        };
    }
}
