package dev.addernet.tensor;

import java.util.Arrays;

/** Small helpers over shape arrays. */
public final class Shapes {
    private Shapes() {}

    public static long numel(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        return n;
    }

    public static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
