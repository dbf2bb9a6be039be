package dev.addernet.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.tensor.Rng;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The driver's block width: derived from the cache, forced by the tuner, and correct at every width. */
class BlockingTest {
    @AfterEach
    void unforce() {
        Blocking.force(0);
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void sysfsCacheSizesParse() {
        assertThat(Blocking.parseSize("1024K")).isEqualTo(1L << 20);
        assertThat(Blocking.parseSize("2M")).isEqualTo(2L << 20);
        assertThat(Blocking.parseSize("512")).isEqualTo(512);
    }

    @Test
    void derivedWidthsAreWholeTilesWithinTheCacheBudget() {
        for (int taps : new int[] {1, 9, 27, 144, 576, 4608, 100_000}) {
            int w = Blocking.derivedColumns(Op.ADDER, Blocking.Phase.FORWARD, taps);
            assertThat(w % Microkernels.NR).as("width for %d taps", taps).isZero();
            assertThat(w).isBetween(Microkernels.NR, Blocking.MAX_DERIVED_COLUMNS);
            if (w > Microkernels.NR) assertThat((long) w * taps).isLessThanOrEqualTo(Blocking.BLOCK_FLOATS);
            assertThat(Blocking.derivedColumns(Op.ADDER, Blocking.Phase.BACKWARD, taps)).isEqualTo(w);
            assertThat(Blocking.derivedColumns(Op.CONV, Blocking.Phase.BACKWARD, taps)).isEqualTo(w);
            // A convolution's forward block is sized to L1d, at least two tiles wide.
            int conv = Blocking.derivedColumns(Op.BINARY, Blocking.Phase.FORWARD, taps);
            assertThat(conv % Microkernels.NR).isZero();
            assertThat(conv).isBetween(2 * Microkernels.NR, Blocking.MAX_DERIVED_COLUMNS).isLessThanOrEqualTo(Math.max(2 * Microkernels.NR, w));
            if (conv > 2 * Microkernels.NR) assertThat((long) conv * taps).isLessThanOrEqualTo(Blocking.CONV_FORWARD_FLOATS);
        }
        assertThat(Blocking.derivedColumns(Op.ADDER, Blocking.Phase.FORWARD, 576)).isLessThan(Blocking.derivedColumns(Op.ADDER, Blocking.Phase.FORWARD, 144));
    }

    @Test
    void forcingAWidthRulesEveryCallAndBadWidthsAreRefused() {
        ConvShape s = new ConvShape(2, 16, 8, 8, 16, 3, 1, 1);
        Blocking.force(3 * Microkernels.NR);
        assertThat(Blocking.columns(Op.ADDER, s, Blocking.Phase.FORWARD)).isEqualTo(3 * Microkernels.NR);
        assertThat(Blocking.describe(Op.ADDER, s, Blocking.Phase.BACKWARD)).containsEntry("source", "forced");
        Blocking.force(0);
        assertThat(Blocking.describe(Op.ADDER, s, Blocking.Phase.BACKWARD)).containsEntry("source", "derived")
                .containsEntry("columns", Blocking.derivedColumns(Op.ADDER, Blocking.Phase.BACKWARD, Blocking.packedRows(s, Blocking.Phase.BACKWARD)));
        assertThatThrownBy(() -> Blocking.force(Microkernels.NR + 1)).hasMessageContaining("multiple of " + Microkernels.NR);
        assertThatThrownBy(() -> Blocking.force(2 * Blocking.MAX_COLUMNS)).hasMessageContaining("multiple of");
    }

    @Test
    void keysNameOpShapeAndPhaseButNotTheBatch() {
        ConvShape a = new ConvShape(32, 16, 32, 32, 32, 1, 2, 0), b = new ConvShape(64, 16, 32, 32, 32, 1, 2, 0);
        assertThat(Blocking.key(Op.ADDER, a, Blocking.Phase.BACKWARD)).isEqualTo("adder 16x32x32>32 k1 s2 p0 backward")
                .isEqualTo(Blocking.key(Op.ADDER, b, Blocking.Phase.BACKWARD));
        assertThat(Blocking.key(Op.BINARY, a, Blocking.Phase.FORWARD)).startsWith("conv ");
    }

    @Test
    @SuppressWarnings("unchecked")
    void benchDescribesEachPassOfAShapeAsTheDriverRunsIt() {
        ConvShape s1 = new ConvShape(4, 16, 32, 32, 16, 3, 1, 1), s2 = new ConvShape(4, 16, 32, 32, 32, 3, 2, 1);
        Map<String, Object> d = ConvKernels.describe(Op.ADDER, AdderOptions.DEFAULT, s1);
        Map<String, Object> f = (Map<String, Object>) d.get("forward"), b = (Map<String, Object>) d.get("backward");
        assertThat(f).containsEntry("inputs", "read in place").containsEntry("output", "written into y").containsEntry("source", "derived")
                .containsEntry("columns", Blocking.derivedColumns(Op.ADDER, Blocking.Phase.FORWARD, s1.taps()));
        assertThat((String) f.get("tiles")).contains("min(x, w)");
        assertThat((String) b.get("input_gradient")).startsWith("image space");
        assertThat((String) b.get("tiles")).contains("weight:");
        Map<String, Object> strided = (Map<String, Object>) ConvKernels.describe(Op.ADDER, AdderOptions.DEFAULT, s2).get("backward");
        assertThat(strided).containsEntry("input_gradient", "im2col and col2im");
        Map<String, Object> lp = (Map<String, Object>) ConvKernels.describe(Op.ADDER, AdderOptions.DEFAULT.withP(1.5f), s1).get("forward");
        assertThat(lp).containsEntry("inputs", "im2col");
        assertThat((String) lp.get("tiles")).startsWith("Lp");
        assertThat((String) ((Map<String, Object>) ConvKernels.describe(Op.CONV, AdderOptions.DEFAULT, s1).get("forward")).get("tiles"))
                .isIn("OpenBLAS sgemm", "FMA tile (8 filters x 2 vectors)");
    }

    static Stream<Arguments> widths() {
        int nr = Microkernels.NR;
        Stream.Builder<Arguments> b = Stream.builder();
        ConvShape[] shapes = {new ConvShape(3, 16, 8, 8, 16, 3, 1, 1), new ConvShape(3, 8, 9, 9, 16, 3, 2, 1),
            new ConvShape(3, 8, 8, 8, 16, 1, 2, 0), new ConvShape(2, 3, 7, 5, 5, 3, 1, 1)};
        for (ConvShape s : shapes) {
            for (Op kind : Op.COMPUTED) {
                for (int w : new int[] {nr, 3 * nr, 8 * nr, Blocking.MAX_COLUMNS}) {
                    for (boolean relu : new boolean[] {false, true}) b.add(Arguments.of(s, kind, w, relu));
                }
            }
        }
        return b.build();
    }

    /** Blocks narrower than an image, spanning images, and wider than the whole call all give the papers' results. */
    @ParameterizedTest(name = "{1} {0} width={2} relu-input={3}")
    @MethodSource("widths")
    void everyWidthMatchesTheReference(ConvShape s, Op kind, int width, boolean reluInput) {
        Parallel.setThreads(2);
        Blocking.force(width);
        Rng rng = new Rng(width * 7L + s.hashCode());
        float[] x = new float[s.inputSize()], w = new float[s.weightSize()], gy = new float[s.outputSize()];
        rng.fillGaussian(x, 1);
        rng.fillGaussian(w, 1);
        rng.fillGaussian(gy, 1);
        if (reluInput) for (int i = 0; i < x.length; i++) x[i] = Math.max(x[i], 0f);
        float[] y = new float[s.outputSize()], gx = new float[s.inputSize()], gw = new float[s.weightSize()];
        ConvKernels.forward(kind, s, x, w, y);
        ConvKernelsTest.assertClose("forward", y, ReferenceConv.forward(kind, s, x, w));
        ConvKernels.backward(kind, s, x, w, gy, gx, gw);
        double[][] ref = ReferenceConv.backward(kind, s, x, w, gy);
        ConvKernelsTest.assertClose("grad_input", gx, ref[0]);
        ConvKernelsTest.assertClose("grad_weight", gw, ref[1]);
    }
}
