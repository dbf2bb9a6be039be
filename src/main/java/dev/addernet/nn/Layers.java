package dev.addernet.nn;

import dev.addernet.autograd.AvgPool;
import dev.addernet.autograd.MaxPool;
import dev.addernet.autograd.Relu;
import dev.addernet.autograd.Reshape;
import dev.addernet.tensor.Tensor;

/** The parameter-free layers. */
public final class Layers {
    private Layers() {}

    public static final class ReLU extends Module {
        @Override public Tensor forward(Tensor x) { return LayerObserver.report(this, x, Relu.forward(x)); }
        @Override public Tensor forwardReusing(Tensor x) { return LayerObserver.report(this, x, Relu.forward(x, !LayerObserver.watching())); }
    }

    public static final class MaxPool2d extends Module {
        private final int k, stride, pad;
        public MaxPool2d(int k, int stride) { this(k, stride, 0); }
        public MaxPool2d(int k, int stride, int pad) { this.k = k; this.stride = stride; this.pad = pad; }
        @Override public Tensor forward(Tensor x) { return LayerObserver.report(this, x, MaxPool.forward(x, k, stride, pad)); }
        @Override public String describe() { return "MaxPool2d(" + k + ", s" + stride + (pad > 0 ? " p" + pad : "") + ")"; }
    }

    public static final class AvgPool2d extends Module {
        private final int k, stride;
        public AvgPool2d(int k, int stride) { this.k = k; this.stride = stride; }
        @Override public Tensor forward(Tensor x) { return LayerObserver.report(this, x, AvgPool.forward(x, k, stride)); }
        @Override public String describe() { return "AvgPool2d(" + k + ", s" + stride + ")"; }
    }

    /** Average over all spatial positions: [N, C, H, W] to [N, C, 1, 1]. */
    public static final class GlobalAvgPool extends Module {
        @Override public Tensor forward(Tensor x) { return LayerObserver.report(this, x, AvgPool.forward(x, x.dim(2), 1)); }
    }

    /** [N, ...] to [N, rest]. */
    public static final class Flatten extends Module {
        @Override public Tensor forward(Tensor x) { return LayerObserver.report(this, x, Reshape.forward(x, x.dim(0), x.numel() / x.dim(0))); }
    }
}
