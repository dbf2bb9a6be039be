package dev.addernet.models;

import dev.addernet.nn.Conv2d;
import dev.addernet.nn.Layers.Flatten;
import dev.addernet.nn.Layers.MaxPool2d;
import dev.addernet.nn.Linear;
import dev.addernet.kernel.Op;
import dev.addernet.nn.Sequential;
import dev.addernet.tensor.Rng;

/**
 * VGG-small, the CIFAR network of the AdderNet, PKKD and SLAC tables (from LQ-Nets, Zhang et al. 2018):
 * 3x3 pad-1 convolutions 3->128, 128->128, maxpool 2, 128->256, 256->256, maxpool 2, 256->512, 512->512,
 * maxpool 2, each with BN and ReLU; then a fully connected layer 512*4*4 -> classes (on 32x32 input) with
 * BN over the logits, as the other networks here. No biases (a BN follows every layer). The first conv
 * and the classifier are full precision unless {@code firstLast}; {@link Op#BINARY} layers take XNOR-Net's
 * order (see {@link FilterUnit}).
 */
public final class VggSmall {
    private VggSmall() {}

    public static Sequential build(ModelConfig cfg, Rng rng) {
        int size = cfg.imageSize();
        if (size % 8 != 0) throw new IllegalArgumentException("vgg-small takes an input size divisible by 8 (32 for CIFAR), got " + size);
        Op op = cfg.opValue(), edge = cfg.firstLast() ? op : Op.CONV;
        int[] widths = {128, 128, 256, 256, 512, 512};
        Sequential s = new Sequential();
        int in = cfg.inChannels();
        for (int i = 0; i < widths.length; i++) {
            int n = i + 1;
            FilterUnit.add(s, "conv" + n, new Conv2d(i == 0 ? edge : op, in, widths[i], 3, 1, 1, false, rng),
                    in, widths[i], "bn" + n, "relu" + n);
            if (n % 2 == 0) s.add("pool" + n / 2, new MaxPool2d(2, 2));
            in = widths[i];
        }
        int features = in * (size / 8) * (size / 8);
        s.add("flatten", new Flatten());
        FilterUnit.classifier(s, cfg.head(), "fc", new Linear(edge, features, cfg.numClasses(), false, rng), features,
                cfg.numClasses(), "bn7", "bn8", rng);
        return s;
    }
}
