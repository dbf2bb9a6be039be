package dev.addernet.models;

import dev.addernet.nn.Conv2d;
import dev.addernet.nn.Layers.Flatten;
import dev.addernet.nn.Layers.MaxPool2d;
import dev.addernet.nn.Linear;
import dev.addernet.kernel.Op;
import dev.addernet.nn.Sequential;
import dev.addernet.tensor.Rng;

/**
 * LeNet-5-BN (AdderNet, Sec. 4.1; Universal AdderNets Table 1): LeNet-5 on 32x32 input with a
 * BatchNorm after every filter layer, the logits batch-normalised too:
 * conv 1->6 k5, BN, ReLU, maxpool 2; 6->16 k5, BN, ReLU, maxpool 2; 16->120 k5, BN, ReLU;
 * fc 120->84, BN, ReLU; fc 84->classes, BN. With {@link Op#ADDER} every one of these layers is an
 * adder layer, as in the paper (unless {@code firstLast} is false: then the first and last stay
 * convolutions). Filter layers carry no bias: the BatchNorm after each makes one redundant.
 * {@link Op#BINARY} layers take XNOR-Net's order instead (see {@link FilterUnit}).
 */
public final class LeNet5 {
    private LeNet5() {}

    public static Sequential build(ModelConfig cfg, Rng rng) {
        if (cfg.imageSize() != 32) throw new IllegalArgumentException("lenet5 takes 32x32 input, got " + cfg.imageSize());
        Op op = cfg.opValue(), edge = cfg.firstLast() ? op : Op.CONV;
        int c = cfg.inChannels(), classes = cfg.numClasses();
        Sequential s = new Sequential();
        FilterUnit.add(s, "conv1", new Conv2d(edge, c, 6, 5, 1, 0, false, rng), c, 6, "bn1", "relu1");
        s.add("pool1", new MaxPool2d(2, 2));
        FilterUnit.add(s, "conv2", new Conv2d(op, 6, 16, 5, 1, 0, false, rng), 6, 16, "bn2", "relu2");
        s.add("pool2", new MaxPool2d(2, 2));
        FilterUnit.add(s, "conv3", new Conv2d(op, 16, 120, 5, 1, 0, false, rng), 16, 120, "bn3", "relu3");
        s.add("flatten", new Flatten());
        FilterUnit.add(s, "fc1", new Linear(op, 120, 84, false, rng), 120, 84, "bn4", "relu4");
        FilterUnit.classifier(s, cfg.head(), "fc2", new Linear(edge, 84, classes, false, rng), 84, classes, "bn5", "bn6", rng);
        return s;
    }
}
