package dev.addernet.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major (NCHW) order: a flat {@code data} array and a shape.
 *
 * <p>A tensor that takes part in training also carries a gradient buffer of the same size, allocated
 * on first use. Whether a gradient is wanted is the {@link #requiresGrad()} flag: parameters set it,
 * and every op's output inherits it from its inputs while a tape records (see
 * {@code dev.addernet.autograd.Tape}).
 */
public class Tensor {
    public final float[] data;
    private final int[] shape;
    private float[] grad;
    private boolean requiresGrad;

    public Tensor(float[] data, int... shape) {
        if (Shapes.numel(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs "
                    + Shapes.numel(shape) + " values, got " + data.length);
        }
        this.data = data;
        this.shape = shape.clone();
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Math.toIntExact(Shapes.numel(shape))], shape);
    }

    /**
     * A tensor whose values are arbitrary (an array from {@link ArrayPool}, or a new one): for an op that
     * overwrites every element, such as a convolution-like layer's output.
     */
    public static Tensor uninitialized(int... shape) {
        return new Tensor(ArrayPool.take(Math.toIntExact(Shapes.numel(shape))), shape);
    }

    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value});
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return data.length;
    }

    public float item() {
        if (data.length != 1) throw new IllegalStateException("item() on a tensor of shape " + Arrays.toString(shape));
        return data[0];
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public Tensor requiresGrad(boolean on) {
        this.requiresGrad = on;
        return this;
    }

    /** The gradient buffer, zeroed on first call (from {@link ArrayPool}). */
    public float[] grad() {
        if (grad == null) grad = ArrayPool.takeZeroed(data.length);
        return grad;
    }

    public boolean hasGrad() {
        return grad != null;
    }

    /**
     * Drops the gradient buffer and hands it to {@link ArrayPool}: for the autograd tape, once nothing can
     * read an intermediate's gradient any more (its backward step has run).
     */
    public void releaseGrad() {
        if (grad != null) ArrayPool.give(grad);
        grad = null;
    }

    /** Zero-fills the gradient buffer (kept allocated for the next step). */
    public void zeroGrad() {
        if (grad != null) Arrays.fill(grad, 0f);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
