package dev.addernet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.io.SafeTensors;
import dev.addernet.kernel.Op;
import dev.addernet.optim.Sgd;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays the reference AdderNet's dumped single-layer states (shared/fixtures/official-addernet):
 * forward, ALR-scaled weight gradient and HardTanh input gradient must match to 1e-4 of the largest
 * reference magnitude, through the fast kernels with 1 and 2 threads and through the plain reference.
 */
class AdderFixtureTest {
    @AfterEach
    void restoreDefaults() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
        Blas.setEnabled(true);
    }

    @ParameterizedTest(name = "{0} sgemm={1}")
    @CsvSource({"adder2d-k3s1p1, java", "adder2d-k3s2p1, java", "adder2d-k1s2p0, java",
                "adder2d-k3s1p1, openblas", "adder2d-k3s2p1, openblas", "adder2d-k1s2p0, openblas"})
    void matchesReferenceImplementation(String name, String blas) throws Exception {
        ConvKernelsTest.useBlas(blas);
        Path file = Path.of(getClass().getResource("/fixtures/" + name + ".safetensors").toURI());
        SafeTensors st = SafeTensors.read(file);
        int stride = Integer.parseInt(st.metadata().get("stride")), pad = Integer.parseInt(st.metadata().get("padding"));
        double eta = Double.parseDouble(st.metadata().get("eta"));
        int[] xs = st.shape("input"), ws = st.shape("weight");
        ConvShape s = new ConvShape(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], stride, pad);
        float[] x = st.floats("input"), w = st.floats("weight"), gy = st.floats("grad_output");

        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            float[] y = new float[s.outputSize()], gx = new float[s.inputSize()], gw = new float[s.weightSize()];
            ConvKernels.forward(Op.ADDER, s, x, w, y);
            ConvKernels.backward(Op.ADDER, s, x, w, gy, gx, gw);
            ReferenceConv.adaptiveLearningRate(gw, eta);
            assertMatches(name + " output", y, st.floats("output"));
            assertMatches(name + " grad_weight", gw, st.floats("grad_weight"));
            assertMatches(name + " grad_input", gx, st.floats("grad_input"));
        }

        double[] yRef = ReferenceConv.forward(Op.ADDER, s, x, w);
        double[][] gRef = ReferenceConv.backward(Op.ADDER, s, x, w, gy);
        float[] gwRef = toFloat(gRef[1]);
        ReferenceConv.adaptiveLearningRate(gwRef, eta);
        assertMatches(name + " reference output", toFloat(yRef), st.floats("output"));
        assertMatches(name + " reference grad_weight", gwRef, st.floats("grad_weight"));
        assertMatches(name + " reference grad_input", toFloat(gRef[0]), st.floats("grad_input"));
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    private static void assertMatches(String what, float[] actual, float[] expected) {
        assertThat(actual).as(what).hasSize(expected.length);
        double max = 0, err = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(actual[i] - expected[i]));
        }
        assertThat(err).as("%s: max abs error %.3g, max |reference| %.3g", what, err, max).isLessThanOrEqualTo(1e-4 * max);
    }
}
