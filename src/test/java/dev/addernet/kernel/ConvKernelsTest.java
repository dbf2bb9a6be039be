package dev.addernet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.kernel.Op;
import dev.addernet.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fast kernels against their plain reference twin on many shapes, both kinds, 1 and 2 threads. */
class ConvKernelsTest {
    @AfterEach
    void restoreDefaults() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
        Blas.setEnabled(true);
    }

    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        ConvShape[] shapes = {
            new ConvShape(1, 1, 5, 5, 1, 1, 1, 0),
            new ConvShape(2, 3, 8, 8, 4, 3, 1, 1),
            new ConvShape(3, 16, 8, 8, 16, 3, 1, 1),
            new ConvShape(2, 16, 9, 9, 32, 3, 2, 1),
            new ConvShape(2, 16, 8, 8, 32, 1, 2, 0),
            new ConvShape(1, 5, 11, 7, 9, 5, 1, 2),
            new ConvShape(2, 3, 13, 13, 10, 7, 2, 3),
            new ConvShape(4, 6, 14, 14, 16, 5, 1, 0),
            new ConvShape(5, 120, 1, 1, 84, 1, 1, 0),
            new ConvShape(3, 17, 6, 6, 19, 3, 1, 2),
            new ConvShape(2, 64, 8, 8, 64, 3, 1, 1),
            // The image-space input gradient on planes of whole vectors whose rows are not (8 and 16 lanes): every
            // border the shifted gradient planes handle (pad 0, pad k - 1, k = 5), and a plane of one vector.
            new ConvShape(2, 8, 4, 12, 8, 3, 1, 0),
            new ConvShape(2, 4, 6, 8, 8, 3, 1, 2),
            new ConvShape(1, 4, 8, 6, 4, 5, 1, 1),
            new ConvShape(2, 12, 4, 4, 8, 3, 1, 1),
            new ConvShape(1, 33, 12, 10, 7, 5, 2, 0),
            // Stride 1 with output widths a multiple of the vector length: the adder forward reads the
            // bordered image in place (no im2col). Widths 16, 32 and 48 (a tile across two output rows,
            // an odd number of vectors per image), k 1/3/5, pad 0/1/2, several images per block.
            new ConvShape(2, 16, 16, 16, 8, 3, 1, 1),
            new ConvShape(1, 3, 32, 32, 5, 3, 1, 1),
            new ConvShape(3, 2, 16, 34, 7, 3, 1, 0),
            new ConvShape(1, 7, 16, 14, 10, 1, 1, 1),
            new ConvShape(1, 2, 10, 48, 6, 5, 1, 2),
            new ConvShape(5, 2, 2, 16, 3, 3, 1, 1),
            // Filters a multiple of 8 and positions a multiple of 32 (as every ResNet adder layer on CIFAR):
            // the L1 tiles write straight into the output, in place or packed, stride 1 or 2.
            new ConvShape(3, 16, 16, 16, 16, 3, 1, 1),
            new ConvShape(2, 8, 32, 32, 8, 3, 2, 1),
            new ConvShape(70, 4, 4, 8, 8, 1, 1, 0),
            // No padding and several groups of images: every group but the batch's last reads x, and
            // accumulates into the input gradient, in place (Im2col.needsNoCopy); stride 2, k 1 and 3.
            new ConvShape(40, 16, 8, 8, 32, 1, 2, 0),
            new ConvShape(6, 3, 23, 23, 5, 3, 2, 0),
            // Stride 1, rows of whole vectors, channels in fours: after a ReLU the adder's input gradient is
            // computed in image space (an odd count of vectors per image; pad 0, 1 and 2 around a 3x3).
            new ConvShape(2, 8, 3, 16, 8, 3, 1, 1),
            new ConvShape(2, 4, 6, 16, 8, 3, 1, 0),
            new ConvShape(1, 4, 5, 16, 4, 3, 1, 2),
            // Stride 1, "same" padding, planes of at least 256 positions, filters in fours: the weight gradient is
            // read off shifted copies of the images (ImageWeightGradient), k 1, 3 and 5, taps not in fours, and
            // images narrower than the padding (copies the shift leaves empty).
            new ConvShape(2, 3, 16, 16, 8, 5, 1, 2),
            new ConvShape(3, 5, 8, 32, 12, 3, 1, 1),
            new ConvShape(2, 6, 16, 16, 8, 1, 1, 0),
            new ConvShape(1, 1, 256, 1, 4, 5, 1, 2),
            // Twelve images on one thread: the per-lane float sums are reduced part-way (every 8 images).
            new ConvShape(12, 4, 16, 16, 8, 3, 1, 1),
            // Stride 3: packing gathers (stride 2 permutes two contiguous loads instead).
            new ConvShape(2, 4, 11, 11, 8, 3, 3, 1),
        };
        for (ConvShape s : shapes) {
            for (Op kind : Op.COMPUTED) {
                for (int threads : new int[] {1, 2}) {
                    for (String blas : new String[] {"java", "openblas"}) {
                        out.add(Arguments.of(s, kind, threads, blas, false));
                    }
                    // Non-negative inputs (after a ReLU) take the adder forward's min(x, w) path.
                    if (kind == Op.ADDER) out.add(Arguments.of(s, kind, threads, "java", true));
                }
            }
        }
        return out.stream();
    }

    @org.junit.jupiter.api.Test
    void weightGradientReadsTheImagesWhereItWasMeasuredFaster() {
        // ResNet-20's 32 x 32 and 16 x 16 stride-1 layers (batch 64), with 32 vector registers (16-register machines
        // keep the packed blocks); never its 8 x 8 ones, stride 2, nor ResNet-18's 56 x 56 ones, whose copies would not
        // stay in cache (docs/benchmarks.md).
        final boolean registers = !Microkernels.SIXTEEN_REGISTERS;
        assertThat(ImageWeightGradient.applies(new ConvShape(64, 16, 32, 32, 16, 3, 1, 1))).isEqualTo(registers);
        assertThat(ImageWeightGradient.applies(new ConvShape(64, 32, 16, 16, 32, 3, 1, 1))).isEqualTo(registers);
        assertThat(ImageWeightGradient.applies(new ConvShape(64, 64, 8, 8, 64, 3, 1, 1))).isFalse();
        assertThat(ImageWeightGradient.applies(new ConvShape(64, 16, 32, 32, 32, 3, 2, 1))).isFalse();
        assertThat(ImageWeightGradient.applies(new ConvShape(64, 64, 56, 56, 64, 3, 1, 1))).isFalse();
    }

    /** Large enough for two tasks per thread on 2 threads (see splitsLargeCallsFinerThanOneTaskPerThread). */
    static final ConvShape LARGE = new ConvShape(8, 32, 32, 32, 32, 3, 1, 1);

    static Stream<Arguments> largeCases() {
        return Stream.of(Arguments.of(LARGE, Op.ADDER, 2, "java", false), Arguments.of(LARGE, Op.ADDER, 2, "java", true),
                Arguments.of(LARGE, Op.CONV, 2, "openblas", false));
    }

    @ParameterizedTest(name = "{1} {0} threads={2} sgemm={3} relu-input={4}")
    @MethodSource("largeCases")
    void matchesReferenceWhenSplitFiner(ConvShape s, Op kind, int threads, String blas, boolean reluInput) {
        matchesReference(s, kind, threads, blas, reluInput);
    }

    @org.junit.jupiter.api.Test
    void splitsLargeCallsFinerThanOneTaskPerThread() {
        Parallel.setThreads(2);
        assertThat(ConvKernels.taskCount(LARGE)).as("tasks for %s on 2 threads", LARGE).isEqualTo(4);
        assertThat(ConvKernels.taskCount(new ConvShape(2, 3, 8, 8, 4, 3, 1, 1))).isEqualTo(2);
        Parallel.setThreads(1);
        assertThat(ConvKernels.taskCount(LARGE)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{1} {0} threads={2} sgemm={3} relu-input={4}")
    @MethodSource("shapes")
    void matchesReference(ConvShape s, Op kind, int threads, String blas, boolean reluInput) {
        useBlas(blas);
        Parallel.setThreads(threads);
        Rng rng = new Rng(s.hashCode() * 31L + kind.ordinal());
        float[] x = new float[s.inputSize()], w = new float[s.weightSize()], gy = new float[s.outputSize()];
        rng.fillGaussian(x, 1);
        rng.fillGaussian(w, kind == Op.ADDER ? 1 : 0.3);
        rng.fillGaussian(gy, 1);
        if (reluInput) for (int i = 0; i < x.length; i++) x[i] = Math.max(x[i], 0f);

        float[] y = new float[s.outputSize()];
        java.util.Arrays.fill(y, Float.NaN); // forward overwrites y (layers hand it arrays from ArrayPool)
        ConvKernels.forward(kind, s, x, w, y);
        assertClose("forward", y, ReferenceConv.forward(kind, s, x, w));

        float[] gx = new float[s.inputSize()], gw = new float[s.weightSize()];
        ConvKernels.backward(kind, s, x, w, gy, gx, gw);
        double[][] ref = ReferenceConv.backward(kind, s, x, w, gy);
        assertClose("grad_input", gx, ref[0]);
        assertClose("grad_weight", gw, ref[1]);
    }

    /** Selects the sgemm path; the OpenBLAS cases need the library (bin/setup installs it). */
    static void useBlas(String blas) {
        Blas.setEnabled(blas.equals("openblas"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Blas.enabled() == blas.equals("openblas"),
                "libopenblas.so.0 not found: install libopenblas0 (bin/setup) to test the OpenBLAS path");
    }

    static void assertClose(String what, float[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        double max = 0, err = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(actual[i] - expected[i]));
        }
        assertThat(err).as("%s: max abs error %.3g against max |ref| %.3g", what, err, max).isLessThanOrEqualTo(1e-5 * Math.max(max, 1));
    }
}
