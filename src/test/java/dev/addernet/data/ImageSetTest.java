package dev.addernet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ImageSetTest {

    static final List<String> CLASSES = List.of("a", "b", "c");

    /** {@code n} images of 2x1x2 whose four pixels all equal the image index. */
    static ImageSet numbered(int n) {
        byte[] pixels = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) i);
            labels[i] = i % 3;
        }
        return new ImageSet("numbered", pixels, labels, 2, 1, 2, CLASSES);
    }

    /** The image index encoded in each image of the set. */
    static int[] ids(ImageSet set) {
        byte[] pixels = set.pixels();
        return IntStream.range(0, set.size()).map(i -> pixels[i * 4] & 0xFF).toArray();
    }

    @Test
    void copiesItsInputs() {
        byte[] pixels = {1, 2, 3, 4};
        int[] labels = {2};
        ImageSet set = new ImageSet("s", pixels, labels, 1, 2, 2, CLASSES);
        pixels[0] = 9;
        labels[0] = 0;
        set.pixels()[1] = 9;
        set.labels()[0] = 1;

        assertThat(set.pixels()).containsExactly(1, 2, 3, 4);
        assertThat(set.labels()).containsExactly(2);
        assertThat(set.label(0)).isEqualTo(2);
        assertThat(set.numClasses()).isEqualTo(3);
    }

    @Test
    void rejectsInconsistentInput() {
        assertThatThrownBy(() -> new ImageSet("s", new byte[5], new int[] {0}, 1, 2, 2, CLASSES))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("s: 5 pixel values, expected 4");
        assertThatThrownBy(() -> new ImageSet("s", new byte[4], new int[] {3}, 1, 2, 2, CLASSES))
                .isInstanceOf(DataException.class)
                .hasMessage("s: label 3 of image 0 is out of range, expected [0,3)");
    }

    @Test
    void subsetAndLimit() {
        ImageSet set = numbered(10);

        ImageSet sub = set.subset(new int[] {7, 2, 2});
        assertThat(ids(sub)).containsExactly(7, 2, 2);
        assertThat(sub.labels()).containsExactly(1, 2, 2);
        assertThat(sub.channels()).isEqualTo(2);

        assertThat(ids(set.limit(3))).containsExactly(0, 1, 2);
        assertThat(set.limit(10)).isSameAs(set);
        assertThat(set.limit(100)).isSameAs(set);
        assertThat(set.limit(0).size()).isZero();
        assertThatThrownBy(() -> set.subset(new int[] {10})).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void splitHoldsOutARandomFractionDeterministically() {
        ImageSet set = numbered(100);

        ImageSet[] parts = set.split(0.2, 42);
        int[] train = ids(parts[0]);
        int[] val = ids(parts[1]);

        assertThat(val).hasSize(20).isSorted();
        assertThat(train).hasSize(80).isSorted();
        assertThat(IntStream.concat(IntStream.of(train), IntStream.of(val)).sorted().toArray())
                .isEqualTo(IntStream.range(0, 100).toArray());
        assertThat(val).isNotEqualTo(IntStream.range(0, 20).toArray());
        assertThat(ids(set.split(0.2, 42)[1])).isEqualTo(val);
        assertThat(ids(set.split(0.2, 43)[1])).isNotEqualTo(val);
        assertThat(set.split(0, 1)[1].size()).isZero();
        assertThatThrownBy(() -> set.split(1.5, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
