package dev.addernet.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArrayPoolTest {
    /** A length no model here produces, so nothing else on the test thread has pooled one. */
    private static final int LENGTH = 12_347;

    @Test
    void givesBackArraysOfTheLengthAskedForAndKeepsAFewPerLength() {
        Set<float[]> given = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < ArrayPool.PER_LENGTH + 2; i++) {
            float[] a = new float[LENGTH];
            given.add(a);
            ArrayPool.give(a);
        }
        assertThat(given).as("an array of another length").doesNotContain(ArrayPool.take(LENGTH + 1));
        int reused = 0;
        for (int i = 0; i < ArrayPool.PER_LENGTH + 2; i++) {
            float[] a = ArrayPool.take(LENGTH);
            assertThat(a).hasSize(LENGTH);
            if (given.remove(a)) reused++;
        }
        assertThat(reused).as("arrays kept of one length").isEqualTo(ArrayPool.PER_LENGTH);
    }

    @Test
    void anArrayGivenTwiceIsTakenOnce() {
        float[] a = new float[LENGTH + 2];
        ArrayPool.give(a);
        ArrayPool.give(a);
        assertThat(ArrayPool.take(LENGTH + 2)).isSameAs(a);
        assertThat(ArrayPool.take(LENGTH + 2)).isNotSameAs(a);
    }

    @Test
    void uninitializedTensorsTakeFromThePool() {
        float[] a = new float[2 * 3 * 2_003];
        ArrayPool.give(a);
        assertThat(Tensor.uninitialized(2, 3, 2_003).data).isSameAs(a);
    }
}
