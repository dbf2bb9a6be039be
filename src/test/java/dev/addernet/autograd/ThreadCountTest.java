package dev.addernet.autograd;

import static dev.addernet.autograd.GradCheck.randn;
import static dev.addernet.autograd.GradCheck.weightedSum;
import static dev.addernet.autograd.GradCheck.weights;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.kernel.Parallel;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * BatchNorm, ReLU, the residual add and max pooling split large tensors over the thread pool (small ones, as in
 * GradCheckTest, stay on one thread). With 1 thread they run the plain serial loops; with 2 they must
 * give bit-identical outputs, gradients and running statistics, in both BatchNorm modes.
 */
class ThreadCountTest {
    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** Every float the ops produce, for one thread count: outputs, input and parameter gradients, running stats. */
    private static List<float[]> run(int threads, boolean training) {
        Parallel.setThreads(threads);
        Rng rng = new Rng(11);
        // 64 x 4 x 32 x 32: 65,536 values per channel, above the serial threshold.
        Tensor x = randn(rng, 50, 64, 4, 32, 32).requiresGrad(true);
        Tensor other = randn(rng, 1, 64, 4, 32, 32).requiresGrad(true);
        Tensor gamma = randn(rng, 1, 4).requiresGrad(true), beta = randn(rng, 1, 4).requiresGrad(true);
        float[] runningMean = {1, 2, 3, 4}, runningVar = {1, 2, 3, 4};
        Tensor y;
        try (Tape tape = Tape.open()) {
            y = Relu.forward(Add.forward(BatchNorm.forward(x, gamma, beta, runningMean, runningVar, training, 0.1, 1e-5), other));
            y = MaxPool.forward(y, 3, 2, 1); // overlapping windows: their gradients meet in one pixel
            tape.backward(weightedSum(y, weights(5, y.numel())));
        }
        assertThat(y.shape()).containsExactly(64, 4, 16, 16);
        List<float[]> out = new ArrayList<>();
        for (float[] a : new float[][] {y.data, x.grad(), other.grad(), gamma.grad(), beta.grad(), runningMean, runningVar}) out.add(a.clone());
        return out;
    }

    @Test
    void twoThreadsGiveTheSameBitsAsOne() {
        for (boolean training : new boolean[] {true, false}) {
            List<float[]> one = run(1, training), two = run(2, training);
            String[] names = {"output", "grad x", "grad other", "grad gamma", "grad beta", "running mean", "running var"};
            for (int i = 0; i < names.length; i++) {
                // Arrays.mismatch: AssertJ's containsExactly is far too slow on 262,144 elements.
                assertThat(Arrays.mismatch(two.get(i), one.get(i))).as("first differing index of %s, training=%s", names[i], training).isEqualTo(-1);
            }
            assertThat(Arrays.equals(one.get(1), new float[one.get(1).length])).as("the input gradient is all zero").isFalse();
        }
    }
}
