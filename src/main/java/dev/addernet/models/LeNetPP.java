package dev.addernet.models;

import dev.addernet.nn.Conv2d;
import dev.addernet.nn.Layers.Flatten;
import dev.addernet.nn.Layers.MaxPool2d;
import dev.addernet.nn.Linear;
import dev.addernet.kernel.Op;
import dev.addernet.nn.Sequential;
import dev.addernet.tensor.Rng;

/**
 * LeNet++, the network of the feature visualisation in AdderNet (Fig. 1; Universal AdderNets Sec. 5.5,
 * after Wen et al. 2016): six 5x5 pad-2 filter layers of 32, 32, 64, 64, 128, 128 channels, each with BN
 * and ReLU, a 2x2 max pool after every second one; a feature layer ({@code fc1}) of
 * {@link ModelConfig#featureDim()} outputs (2 or 3 in the papers) with BN; and the classifier ({@code fc2})
 * with BN over the logits. On 28x28 input (MNIST as it is) the feature layer sees 128x3x3, on 32x32 128x4x4.
 *
 * <p>Decisions where the papers are silent: the feature layer has no activation (its 2-d or 3-d output is
 * what is plotted, and a ReLU would confine it to one quadrant; Wen et al. use a PReLU), and every layer
 * including the classifier takes the network's op by default ("the last fully connected layers are
 * replaced with the proposed add filters"; binary nets keep the first and last full precision, see
 * {@link Models#defaultFirstLast}). {@link Op#BINARY} layers take XNOR-Net's order ({@link FilterUnit}).
 */
public final class LeNetPP {
    public static final int DEFAULT_FEATURE_DIM = 2;

    private LeNetPP() {}

    public static Sequential build(ModelConfig cfg, Rng rng) {
        int size = cfg.imageSize();
        if (size < 8) throw new IllegalArgumentException("lenetpp takes at least 8x8 input (28 or 32), got " + size);
        int dim = featureDim(cfg);
        Op op = cfg.opValue(), edge = cfg.firstLast() ? op : Op.CONV;
        int[] widths = {32, 32, 64, 64, 128, 128};
        Sequential s = new Sequential();
        int in = cfg.inChannels();
        for (int i = 0; i < widths.length; i++) {
            int n = i + 1;
            FilterUnit.add(s, "conv" + n, new Conv2d(i == 0 ? edge : op, in, widths[i], 5, 1, 2, false, rng),
                    in, widths[i], "bn" + n, "relu" + n);
            if (n % 2 == 0) s.add("pool" + n / 2, new MaxPool2d(2, 2));
            in = widths[i];
        }
        int side = size / 2 / 2 / 2, features = in * side * side;
        s.add("flatten", new Flatten());
        FilterUnit.add(s, "fc1", new Linear(op, features, dim, false, rng), features, dim, "bn7", null);
        FilterUnit.classifier(s, cfg.head(), "fc2", new Linear(edge, dim, cfg.numClasses(), false, rng), dim, cfg.numClasses(), "bn8", "bn9", rng);
        return s;
    }

    /** The configured feature dimension; 0 (a configuration written before the field existed) means the default. */
    static int featureDim(ModelConfig cfg) {
        return cfg.featureDim() > 0 ? cfg.featureDim() : DEFAULT_FEATURE_DIM;
    }
}
