package dev.addernet.interop;

import java.util.Arrays;

/**
 * One tensor of a state dict, converted to dense row-major float32.
 *
 * @param shape  the tensor's sizes; {@code []} for a scalar
 * @param values the elements in row-major order (gathered from any strides), each rounded once to float
 * @param dtype  the element type in the file, for messages (e.g. {@code torch.FloatStorage}, {@code F32})
 */
public record StateTensor(int[] shape, float[] values, String dtype) {
    public StateTensor {
        shape = shape.clone();
        long n = 1;
        for (int d : shape) n *= d;
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return "StateTensor" + Arrays.toString(shape) + " " + dtype;
    }
}
