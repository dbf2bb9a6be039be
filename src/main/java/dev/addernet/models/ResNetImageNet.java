package dev.addernet.models;

import dev.addernet.nn.Conv2d;
import dev.addernet.nn.Layers.Flatten;
import dev.addernet.nn.Layers.GlobalAvgPool;
import dev.addernet.nn.Layers.MaxPool2d;
import dev.addernet.nn.Module;
import dev.addernet.kernel.Op;
import dev.addernet.nn.Sequential;
import dev.addernet.tensor.Rng;

/**
 * The ImageNet ResNets (He et al. 2016, Table 1) as the AdderNet reference's resnet50.py: a stem of a 7x7
 * stride-2 pad-3 conv 3->64 + BN + ReLU and a 3x3 stride-2 pad-1 max pool; four stages of 64, 128, 256, 512
 * channels (stages 2-4 open with stride 2), of basic blocks ({@link ResNetCifar.BasicBlock}, ResNet-18:
 * [2, 2, 2, 2]) or bottleneck blocks ({@link Bottleneck}, expansion 4, ResNet-50: [3, 4, 6, 3]); a
 * projection shortcut (1x1 of the block's op + BN) wherever the shape changes; global average pool; the
 * classifier as a 1x1 conv without bias ({@code fc}) and a BatchNorm over the logits ({@code bn2}). The stem
 * and classifier are full-precision convolutions unless {@code firstLast}; binary ones take XNOR-Net's
 * order through {@link FilterUnit}, as in {@link ResNetCifar}. (The reference's fc has a bias; the BatchNorm
 * right after it makes it redundant, so it is left out, as in {@link ResNetCifar}.)
 */
public final class ResNetImageNet {
    private static final int[] WIDTHS = {64, 128, 256, 512};

    private ResNetImageNet() {}

    /** {@code blocks}: blocks per stage; {@code bottleneck}: bottleneck (ResNet-50) or basic (ResNet-18) blocks. */
    public static Sequential build(ModelConfig cfg, int[] blocks, boolean bottleneck, Rng rng) {
        Op op = cfg.opValue(), edge = cfg.firstLast() ? op : Op.CONV;
        int classes = cfg.numClasses();
        Sequential s = new Sequential();
        FilterUnit.add(s, "conv1", new Conv2d(edge, cfg.inChannels(), 64, 7, 2, 3, false, rng), cfg.inChannels(), 64, "bn1", "relu");
        s.add("maxpool", new MaxPool2d(3, 2, 1));
        int in = 64;
        for (int st = 0; st < 4; st++) {
            Sequential stage = new Sequential();
            for (int b = 0; b < blocks[st]; b++) {
                int stride = (st > 0 && b == 0) ? 2 : 1;
                Module block = bottleneck ? new Bottleneck(op, in, WIDTHS[st], stride, rng)
                        : new ResNetCifar.BasicBlock(op, in, WIDTHS[st], stride, rng);
                stage.add(Integer.toString(b), block);
                in = bottleneck ? WIDTHS[st] * Bottleneck.EXPANSION : WIDTHS[st];
            }
            s.add("layer" + (st + 1), stage);
        }
        s.add("avgpool", new GlobalAvgPool());
        FilterUnit.classifier(s, cfg.head(), "fc", new Conv2d(edge, in, classes, 1, 1, 0, false, rng), in, classes, "bn2", "bn3", rng);
        return s.add("flatten", new Flatten());
    }
}
