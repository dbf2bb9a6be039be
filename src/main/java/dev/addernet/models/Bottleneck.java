package dev.addernet.models;

import dev.addernet.autograd.Add;
import dev.addernet.autograd.Relu;
import dev.addernet.nn.BatchNorm;
import dev.addernet.nn.Conv2d;
import dev.addernet.nn.LayerObserver;
import dev.addernet.nn.Module;
import dev.addernet.kernel.Op;
import dev.addernet.nn.Sequential;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * ResNet's bottleneck block (He et al. 2016, Fig. 5 right) as the AdderNet reference's resnet50.py lays it
 * out: 1x1 {@code in -> width} - BN - ReLU - 3x3 {@code width -> width} carrying the stride - BN - ReLU -
 * 1x1 {@code width -> 4 width} - BN, plus the shortcut (identity, or a 1x1 strided projection of the
 * block's op + BN as {@code downsample.0/1}), then ReLU. The stride on the 3x3 layer (not the first 1x1,
 * as in the original paper) is the layout of the reference and torchvision ("ResNet v1.5").
 *
 * <p>With {@link Op#BINARY}, XNOR-Net's order (see {@link FilterUnit}): BN (over each layer's input) -
 * sign - binary layer for the three layers and the projection ({@code downsample.0} the BN, {@code .1}
 * the 1x1), no ReLU.
 */
public final class Bottleneck extends Module {
    public static final int EXPANSION = 4;
    private final Module conv1, bn1, conv2, bn2, conv3, bn3, downsample;
    private final boolean binary;

    Bottleneck(Op op, int in, int width, int stride, Rng rng) {
        int out = width * EXPANSION;
        boolean project = stride != 1 || in != out;
        binary = op == Op.BINARY;
        if (binary) {
            bn1 = child("bn1", new BatchNorm(in));
            conv1 = child("conv1", new Conv2d(op, in, width, 1, 1, 0, false, rng));
            bn2 = child("bn2", new BatchNorm(width));
            conv2 = child("conv2", new Conv2d(op, width, width, 3, stride, 1, false, rng));
            bn3 = child("bn3", new BatchNorm(width));
            conv3 = child("conv3", new Conv2d(op, width, out, 1, 1, 0, false, rng));
            downsample = project ? child("downsample", new Sequential()
                    .add("0", new BatchNorm(in)).add("1", new Conv2d(op, in, out, 1, stride, 0, false, rng))) : null;
            return;
        }
        conv1 = child("conv1", new Conv2d(op, in, width, 1, 1, 0, false, rng));
        bn1 = child("bn1", new BatchNorm(width));
        conv2 = child("conv2", new Conv2d(op, width, width, 3, stride, 1, false, rng));
        bn2 = child("bn2", new BatchNorm(width));
        conv3 = child("conv3", new Conv2d(op, width, out, 1, 1, 0, false, rng));
        bn3 = child("bn3", new BatchNorm(out));
        downsample = project ? child("downsample", new Sequential()
                .add("0", new Conv2d(op, in, out, 1, stride, 0, false, rng)).add("1", new BatchNorm(out))) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (binary) {
            Tensor y = conv3.forward(bn3.forward(conv2.forward(bn2.forward(conv1.forward(bn1.forward(x))))));
            return Add.forward(y, downsample == null ? x : downsample.forward(x));
        }
        // Every intermediate here is read once, so each op may overwrite its input where that is safe
        // (Module.forwardReusing) and is discarded once read (Module.discard), unless an observer is shown them.
        final boolean reuse = !LayerObserver.watching();
        Tensor h1 = Relu.forward(bn1.forwardReusing(conv1.forward(x)), reuse);
        Tensor h2 = Relu.forward(bn2.forwardReusing(conv2.forward(h1)), reuse);
        discard(h1);
        Tensor y = bn3.forwardReusing(conv3.forward(h2));
        discard(h2);
        Tensor shortcut = downsample == null ? x : downsample.forward(x);
        Tensor out = Relu.forward(Add.forward(y, shortcut, reuse), reuse);
        if (shortcut != x) discard(shortcut);
        return out;
    }
}
