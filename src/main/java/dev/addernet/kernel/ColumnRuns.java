package dev.addernet.kernel;

/**
 * A block of output columns [j0, j0 + nb) cut into runs along output rows: run r covers {@code len[r]}
 * consecutive columns of output row {@code oy[r]} of image {@code img[r]}, starting at column
 * {@code ox[r]}, and sits at offset {@code at[r]} in the block. Image numbers are relative to a first
 * image {@code n0} (the first of the task's bordered copy). Computed once per block so that the
 * packing loops do no divisions per element.
 */
final class ColumnRuns {
    int count;
    int[] img = new int[0], oy = new int[0], ox = new int[0], len = new int[0], at = new int[0];
    /**
     * The same columns cut only at image boundaries: image span s covers {@code spanLen[s]} consecutive
     * output positions of image {@code spanImg[s]} from position {@code spanPos[s]}, at block offset
     * {@code spanAt[s]}. An output plane is contiguous in NCHW, so scatter/gather copy whole spans.
     */
    int spans;
    int[] spanImg = new int[0], spanPos = new int[0], spanLen = new int[0], spanAt = new int[0];

    ColumnRuns of(ConvShape s, int j0, int nb, int n0) {
        final int ow = s.ow(), p = s.positions();
        int maxRuns = nb / ow + 2;
        if (img.length < maxRuns) {
            img = new int[maxRuns];
            oy = new int[maxRuns];
            ox = new int[maxRuns];
            len = new int[maxRuns];
            at = new int[maxRuns];
        }
        int j = j0, n = j / p - n0, pos = j % p, y = pos / ow, x = pos % ow;
        count = 0;
        for (int jj = 0; jj < nb; ) {
            int run = Math.min(nb - jj, ow - x);
            img[count] = n;
            oy[count] = y;
            ox[count] = x;
            len[count] = run;
            at[count] = jj;
            count++;
            jj += run;
            x = 0;
            if (++y == s.oh()) {
                y = 0;
                n++;
            }
        }
        spans = 0;
        for (int r = 0; r < count; r++) {
            if (spans > 0 && spanImg[spans - 1] == img[r]) {
                spanLen[spans - 1] += len[r];
                continue;
            }
            if (spanImg.length <= spans) {
                int size = Math.max(4, 2 * spans);
                spanImg = java.util.Arrays.copyOf(spanImg, size);
                spanPos = java.util.Arrays.copyOf(spanPos, size);
                spanLen = java.util.Arrays.copyOf(spanLen, size);
                spanAt = java.util.Arrays.copyOf(spanAt, size);
            }
            spanImg[spans] = img[r];
            spanPos[spans] = oy[r] * ow + ox[r];
            spanLen[spans] = len[r];
            spanAt[spans] = at[r];
            spans++;
        }
        return this;
    }
}
