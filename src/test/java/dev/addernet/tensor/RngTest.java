package dev.addernet.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void matchesTheReferenceSequence() {
        // reference outputs of splitmix64.c for seed 0: pins shuffles across JDK versions
        Rng random = new Rng(0);
        assertThat(random.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(random.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
        assertThat(random.nextLong()).isEqualTo(0x06C45D188009454FL);
    }

    @Test
    void boundedValuesStayInRangeAndCoverIt() {
        Rng lemire = Rng.of(1, 2, 3), modulo = Rng.derive(1, 2, 3);
        int[] a = new int[7], b = new int[7];
        for (int i = 0; i < 7000; i++) {
            a[lemire.nextIntLemire(7)]++;
            b[modulo.nextInt(7)]++;
        }
        for (int[] counts : new int[][] {a, b}) {
            assertThat(IntStream.of(counts).min().getAsInt()).isGreaterThan(850);
            assertThat(IntStream.of(counts).max().getAsInt()).isLessThan(1150);
        }
    }

    @Test
    void permutationIsAPermutation() {
        int[] order = Rng.of(5).permutation(1000);
        assertThat(IntStream.of(order).sorted().toArray()).isEqualTo(IntStream.range(0, 1000).toArray());
        assertThat(Rng.of(5).permutation(1000)).isEqualTo(order);
        assertThat(Rng.of(6).permutation(1000)).isNotEqualTo(order);
    }
}
