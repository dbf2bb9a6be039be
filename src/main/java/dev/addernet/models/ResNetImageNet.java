package dev.addernet.models;

import dev.addernet.autograd.Reshape;
import dev.addernet.nn.BatchNorm;
import dev.addernet.nn.Conv2d;
import dev.addernet.nn.Layers.GlobalAvgPool;
import dev.addernet.nn.Layers.MaxPool2d;
import dev.addernet.nn.Layers.ReLU;
import dev.addernet.nn.Module;
import dev.addernet.nn.Op;
import dev.addernet.nn.Sequential;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * The ImageNet ResNets (He et al. 2016, Table 1) as the AdderNet reference's resnet50.py: a stem of a 7x7
 * stride-2 pad-3 conv 3->64 + BN + ReLU and a 3x3 stride-2 pad-1 max pool; four stages of 64, 128, 256, 512
 * channels (stages 2-4 open with stride 2), of basic blocks ({@link ResNetCifar.BasicBlock}, ResNet-18:
 * [2, 2, 2, 2]) or bottleneck blocks ({@link Bottleneck}, expansion 4, ResNet-50: [3, 4, 6, 3]); a
 * projection shortcut (1x1 of the block's op + BN) wherever the shape changes; global average pool; the
 * classifier as a 1x1 conv without bias ({@code fc}) and a BatchNorm over the logits ({@code bn2}). The stem
 * and classifier are full-precision convolutions unless {@code firstLast}. (The reference's fc has a
 * bias; the BatchNorm right after it makes it redundant, so it is left out, as in {@link ResNetCifar}.)
 */
public final class ResNetImageNet extends Module {
    private static final int[] WIDTHS = {64, 128, 256, 512};
    private final Module conv1, bn1, relu, maxpool, avgpool, fc, bn2;
    private final Module[] stages = new Module[4];
    private final int numClasses;

    /** {@code blocks}: blocks per stage; {@code bottleneck}: bottleneck (ResNet-50) or basic (ResNet-18) blocks. */
    public ResNetImageNet(ModelConfig cfg, int[] blocks, boolean bottleneck, Rng rng) {
        Op op = cfg.opValue(), edge = cfg.firstLast() ? op : Op.CONV;
        numClasses = cfg.numClasses();
        conv1 = child("conv1", new Conv2d(edge, cfg.inChannels(), 64, 7, 2, 3, false, rng));
        bn1 = child("bn1", new BatchNorm(64));
        relu = child("relu", new ReLU());
        maxpool = child("maxpool", new MaxPool2d(3, 2, 1));
        int in = 64;
        for (int s = 0; s < 4; s++) {
            Sequential stage = new Sequential();
            for (int b = 0; b < blocks[s]; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                Module block = bottleneck ? new Bottleneck(op, in, WIDTHS[s], stride, rng)
                        : new ResNetCifar.BasicBlock(op, in, WIDTHS[s], stride, rng);
                stage.add(Integer.toString(b), block);
                in = bottleneck ? WIDTHS[s] * Bottleneck.EXPANSION : WIDTHS[s];
            }
            stages[s] = child("layer" + (s + 1), stage);
        }
        avgpool = child("avgpool", new GlobalAvgPool());
        fc = child("fc", new Conv2d(edge, in, numClasses, 1, 1, 0, false, rng));
        bn2 = child("bn2", new BatchNorm(numClasses));
    }

    @Override
    public Tensor forward(Tensor x) {
        x = maxpool.forward(relu.forward(bn1.forward(conv1.forward(x))));
        for (Module stage : stages) x = stage.forward(x);
        x = bn2.forward(fc.forward(avgpool.forward(x)));
        return Reshape.forward(x, x.dim(0), numClasses);
    }
}
