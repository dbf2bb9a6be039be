package dev.addernet.tensor;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Float arrays handed back by their last reader, kept per thread for the next tensor of the same size:
 * a new Java array is zeroed by the thread that allocates it, and in inference that serial zeroing of
 * every layer's output took about a tenth of a ResNet-20 AdderNet pass while the pool's threads waited
 * (the layer then overwrites every element anyway). Arrays are held through soft references, so the
 * collector may take them back under memory pressure, and at most {@link #PER_LENGTH} of each length.
 *
 * <p>Only an owner that knows nothing reads an array any more gives it back: containers in inference
 * ({@code Module.discard}), and the tape the gradient of each intermediate once its backward step has run
 * ({@link Tensor#releaseGrad}; a ResNet-20 step allocated half its arrays for those).
 */
public final class ArrayPool {
    /** Enough for the live activations of one size in a residual block: input, intermediate, output, shortcut. */
    static final int PER_LENGTH = 4;

    private static final ThreadLocal<Map<Integer, ArrayDeque<SoftReference<float[]>>>> FREE = ThreadLocal.withInitial(HashMap::new);

    private ArrayPool() {}

    /** An array of this length whose contents are arbitrary: the caller writes every element before reading any. */
    public static float[] take(int length) {
        float[] a = pooled(length);
        return a != null ? a : new float[length];
    }

    /** An array of this length filled with zeros (a pooled one is cleared; a new one already is). */
    public static float[] takeZeroed(int length) {
        float[] a = pooled(length);
        if (a == null) return new float[length];
        Arrays.fill(a, 0f);
        return a;
    }

    /** A held array of this length, or null (none held, or the collector took them). */
    private static float[] pooled(int length) {
        ArrayDeque<SoftReference<float[]>> free = FREE.get().get(length);
        while (free != null && !free.isEmpty()) {
            float[] a = free.pop().get();
            if (a != null) return a;
        }
        return null;
    }

    /**
     * Hands a back: the caller promises that nothing reads or writes it afterwards. An array already held
     * is not added twice (two later takes would then share it).
     */
    public static void give(float[] a) {
        ArrayDeque<SoftReference<float[]>> free = FREE.get().computeIfAbsent(a.length, n -> new ArrayDeque<>());
        if (free.size() >= PER_LENGTH) return;
        for (SoftReference<float[]> held : free) if (held.get() == a) return;
        free.push(new SoftReference<>(a));
    }
}
