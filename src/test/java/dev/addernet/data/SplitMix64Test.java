package dev.addernet.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitMix64Test {

    @Test
    void matchesTheReferenceSequence() {
        // reference outputs of splitmix64.c for seed 0: pins shuffles across JDK versions
        SplitMix64 random = new SplitMix64(0);
        assertThat(random.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(random.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
        assertThat(random.nextLong()).isEqualTo(0x06C45D188009454FL);
    }

    @Test
    void boundedValuesStayInRangeAndCoverIt() {
        SplitMix64 random = SplitMix64.of(1, 2, 3);
        int[] counts = new int[7];
        for (int i = 0; i < 7000; i++) {
            counts[random.nextInt(7)]++;
        }
        assertThat(IntStream.of(counts).min().getAsInt()).isGreaterThan(850);
        assertThat(IntStream.of(counts).max().getAsInt()).isLessThan(1150);
    }

    @Test
    void permutationIsAPermutation() {
        int[] order = SplitMix64.of(5).permutation(1000);
        assertThat(IntStream.of(order).sorted().toArray()).isEqualTo(IntStream.range(0, 1000).toArray());
        assertThat(SplitMix64.of(5).permutation(1000)).isEqualTo(order);
        assertThat(SplitMix64.of(6).permutation(1000)).isNotEqualTo(order);
    }
}
