package dev.addernet.data;

import java.util.Arrays;
import java.util.List;

/** Tiny image sets whose pixels name their index, for the loading and transform tests. */
public final class NumberedImages {
    public static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private NumberedImages() {}

    /** {@code n} 1x2x2 images whose pixels all equal the index (n <= 256); label is index % 10. */
    public static ImageSet numbered(int n) {
        byte[] pixels = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) i);
            labels[i] = i % 10;
        }
        return new ImageSet("numbered", pixels, labels, 1, 2, 2, CLASSES);
    }
}
