package dev.addernet.models;

import dev.addernet.nn.BatchNorm;
import dev.addernet.nn.Conv2d;
import dev.addernet.nn.Layers.Flatten;
import dev.addernet.nn.Layers.MaxPool2d;
import dev.addernet.nn.Layers.ReLU;
import dev.addernet.nn.Linear;
import dev.addernet.nn.Op;
import dev.addernet.nn.Sequential;
import dev.addernet.tensor.Rng;

/**
 * LeNet-5-BN (AdderNet, Sec. 4.1; Universal AdderNets Table 1): LeNet-5 on 32x32 input with a
 * BatchNorm after every filter layer, the logits batch-normalised too:
 * conv 1->6 k5, BN, ReLU, maxpool 2; 6->16 k5, BN, ReLU, maxpool 2; 16->120 k5, BN, ReLU;
 * fc 120->84, BN, ReLU; fc 84->classes, BN. With {@link Op#ADDER} every one of these layers is an
 * adder layer, as in the paper (unless {@code firstLast} is false: then the first and last stay
 * convolutions). Filter layers carry no bias: the BatchNorm after each makes one redundant.
 */
public final class LeNet5 {
    private LeNet5() {}

    public static Sequential build(ModelConfig cfg, Rng rng) {
        if (cfg.imageSize() != 32) throw new IllegalArgumentException("lenet5 takes 32x32 input, got " + cfg.imageSize());
        Op op = cfg.opValue(), edge = cfg.firstLast() ? op : Op.CONV;
        return new Sequential()
                .add("conv1", new Conv2d(edge, cfg.inChannels(), 6, 5, 1, 0, false, rng))
                .add("bn1", new BatchNorm(6)).add("relu1", new ReLU()).add("pool1", new MaxPool2d(2, 2))
                .add("conv2", new Conv2d(op, 6, 16, 5, 1, 0, false, rng))
                .add("bn2", new BatchNorm(16)).add("relu2", new ReLU()).add("pool2", new MaxPool2d(2, 2))
                .add("conv3", new Conv2d(op, 16, 120, 5, 1, 0, false, rng))
                .add("bn3", new BatchNorm(120)).add("relu3", new ReLU()).add("flatten", new Flatten())
                .add("fc1", new Linear(op, 120, 84, false, rng))
                .add("bn4", new BatchNorm(84)).add("relu4", new ReLU())
                .add("fc2", new Linear(edge, 84, cfg.numClasses(), false, rng))
                .add("bn5", new BatchNorm(cfg.numClasses()));
    }
}
