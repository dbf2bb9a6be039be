package dev.addernet.models;

import dev.addernet.autograd.Add;
import dev.addernet.autograd.Relu;
import dev.addernet.nn.BatchNorm;
import dev.addernet.nn.Conv2d;
import dev.addernet.nn.Layers.Flatten;
import dev.addernet.nn.Layers.GlobalAvgPool;
import dev.addernet.nn.LayerObserver;
import dev.addernet.nn.Module;
import dev.addernet.kernel.Op;
import dev.addernet.nn.Sequential;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * The CIFAR ResNets (He et al. 2016, Sec. 4.2: 6n+2 layers; n = 3 gives ResNet-20, n = 5 ResNet-32), laid
 * out as the released AdderNet checkpoint: a full-precision 3x3 conv 3->16 + BN + ReLU; three stages of n
 * post-activation basic blocks (16, 32, 64 channels; stages 2 and 3 open with stride 2 and a 1x1 stride-2
 * shortcut of the block's op + BN); 8x8 average pool; a full-precision 1x1 conv 64->classes without bias
 * ({@code fc}); BatchNorm over the logits ({@code bn2}). With {@code firstLast} the first and last layers
 * take the network's op too. With {@link Op#BINARY} every binary layer takes XNOR-Net's order (see
 * {@link BasicBlock}; a binary conv1 or fc through {@link FilterUnit}, as in the plain networks: BN over the
 * image before conv1, no ReLU after it; BN over the pooled features ({@code bn2}) before fc, {@code bn3}
 * over the logits): without that BN, fc's sign would see pooled block outputs that are not zero-centred.
 */
public final class ResNetCifar {
    private ResNetCifar() {}

    public static Sequential build(ModelConfig cfg, int blocksPerStage, Rng rng) {
        Op op = cfg.opValue(), edge = cfg.firstLast() ? op : Op.CONV;
        int classes = cfg.numClasses();
        Sequential s = new Sequential();
        FilterUnit.add(s, "conv1", new Conv2d(edge, cfg.inChannels(), 16, 3, 1, 1, false, rng), cfg.inChannels(), 16, "bn1", "relu");
        int in = 16;
        int[] widths = {16, 32, 64};
        for (int st = 0; st < 3; st++) {
            Sequential stage = new Sequential();
            for (int b = 0; b < blocksPerStage; b++) {
                int stride = (st > 0 && b == 0) ? 2 : 1;
                stage.add(Integer.toString(b), new BasicBlock(op, in, widths[st], stride, rng));
                in = widths[st];
            }
            s.add("layer" + (st + 1), stage);
        }
        s.add("avgpool", new GlobalAvgPool());
        FilterUnit.classifier(s, cfg.head(), "fc", new Conv2d(edge, 64, classes, 1, 1, 0, false, rng), 64, classes, "bn2", "bn3", rng);
        return s.add("flatten", new Flatten());
    }

    /**
     * conv3x3 - BN - ReLU - conv3x3 - BN, plus the shortcut, then ReLU (post-activation). With
     * {@link Op#BINARY}, XNOR-Net's order (see {@link FilterUnit}): BN - sign - binary conv3x3 (bn1 over the
     * input, conv1), BN - sign - binary conv3x3 (bn2, conv2), plus the shortcut (identity, or BN - sign -
     * binary 1x1 conv as {@code downsample.0/1}), with no ReLU: the signs are the nonlinearity, and the
     * sum stays signed for the next block's BN and sign.
     */
    public static final class BasicBlock extends Module {
        private final Module conv1, bn1, conv2, bn2, downsample;
        private final boolean binary;

        BasicBlock(Op op, int in, int out, int stride, Rng rng) {
            binary = op == Op.BINARY;
            boolean project = stride != 1 || in != out;
            if (binary) {
                bn1 = child("bn1", new BatchNorm(in));
                conv1 = child("conv1", new Conv2d(op, in, out, 3, stride, 1, false, rng));
                bn2 = child("bn2", new BatchNorm(out));
                conv2 = child("conv2", new Conv2d(op, out, out, 3, 1, 1, false, rng));
                downsample = project ? child("downsample", new Sequential()
                        .add("0", new BatchNorm(in)).add("1", new Conv2d(op, in, out, 1, stride, 0, false, rng))) : null;
                return;
            }
            conv1 = child("conv1", new Conv2d(op, in, out, 3, stride, 1, false, rng));
            bn1 = child("bn1", new BatchNorm(out));
            conv2 = child("conv2", new Conv2d(op, out, out, 3, 1, 1, false, rng));
            bn2 = child("bn2", new BatchNorm(out));
            downsample = project ? child("downsample", new Sequential()
                    .add("0", new Conv2d(op, in, out, 1, stride, 0, false, rng)).add("1", new BatchNorm(out))) : null;
        }

        @Override
        public Tensor forward(Tensor x) {
            if (binary) {
                Tensor y = conv2.forward(bn2.forward(conv1.forward(bn1.forward(x))));
                return Add.forward(y, downsample == null ? x : downsample.forward(x));
            }
            // Every intermediate here is read once, so each op may overwrite its input where that is safe
            // (Module.forwardReusing) and is discarded once read (Module.discard), unless an observer is shown them.
            final boolean reuse = !LayerObserver.watching();
            Tensor h = Relu.forward(bn1.forwardReusing(conv1.forward(x)), reuse);
            Tensor y = bn2.forwardReusing(conv2.forward(h));
            discard(h);
            Tensor shortcut = downsample == null ? x : downsample.forward(x);
            Tensor out = Relu.forward(Add.forward(y, shortcut, reuse), reuse);
            if (shortcut != x) discard(shortcut);
            return out;
        }
    }
}
