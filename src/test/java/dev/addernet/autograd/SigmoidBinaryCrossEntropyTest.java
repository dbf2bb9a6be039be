package dev.addernet.autograd;

import static dev.addernet.autograd.GradCheck.assertClose;
import static dev.addernet.autograd.GradCheck.numeric;
import static dev.addernet.autograd.GradCheck.randn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The sigmoid binary cross-entropy's forward against the textbook formula in double, and its backward
 * against central differences of that formula (in the style of {@link GradCheckTest}).
 */
class SigmoidBinaryCrossEntropyTest {

    /** -mean[y log p + (1 - y) log(1 - p)], p = 1 / (1 + exp(-z)): the definition, not the stable form. */
    private static double reference(double[] z, float[] y) {
        double loss = 0;
        for (int i = 0; i < z.length; i++) {
            double p = 1 / (1 + Math.exp(-z[i]));
            loss -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
        }
        return loss / z.length;
    }

    /** Backward with an upstream gradient of {@code seed}, then the logits' gradient against differences of seed * L. */
    private static void check(Tensor z, float[] y, double seed, double tol) {
        z.requiresGrad(true);
        z.zeroGrad();
        Tensor scaled;
        try (Tape tape = Tape.open()) {
            Tensor loss = SigmoidBinaryCrossEntropy.forward(z, y);
            assertThat((double) loss.item()).as("forward vs the definition")
                    .isCloseTo(reference(GradCheck.toDouble(z.data), y), Offset.offset(1e-5));
            scaled = GradCheck.weightedSum(loss, new double[] {seed});
            tape.backward(scaled);
        }
        double[] num = numeric(z.data, x -> seed * reference(x, y), 1e-5);
        assertClose("binary cross-entropy d/dz", z.grad(), num, tol);
    }

    @Test
    void gradientMatchesFiniteDifferencesForColumnAndFlatLogits() {
        float[] y = {1, 0, 0, 1, 1, 0, 1};
        check(randn(new Rng(31), 2, 7, 1), y, 1.7, 1e-4);
        check(randn(new Rng(32), 3, 7), y, -0.6, 1e-4);
    }

    @Test
    void largeLogitsStayFinite() {
        // |z| = 200: the textbook form overflows exp or takes log(0); the stable form gives z for a wrong label, 0 for a right one
        Tensor z = new Tensor(new float[] {200f, -200f, 200f, -200f}, 4).requiresGrad(true);
        float[] y = {1, 0, 0, 1};
        try (Tape tape = Tape.open()) {
            Tensor loss = SigmoidBinaryCrossEntropy.forward(z, y);
            assertThat((double) loss.item()).isCloseTo((200 + 200) / 4.0, Offset.offset(1e-4));
            tape.backward(loss);
        }
        assertThat(z.grad()).containsExactly(0f, 0f, 0.25f, -0.25f);
    }

    @Test
    void zeroLogitCostsLog2WithGradientHalfMinusLabelOverN() {
        Tensor z = new Tensor(new float[] {0f, 0f}, 2, 1).requiresGrad(true);
        try (Tape tape = Tape.open()) {
            Tensor loss = SigmoidBinaryCrossEntropy.forward(z, new float[] {1, 0});
            assertThat((double) loss.item()).isCloseTo(Math.log(2), Offset.offset(1e-6));
            tape.backward(loss);
        }
        assertThat(z.grad()).containsExactly(-0.25f, 0.25f);
    }

    @Test
    void refusesMatrixLogitsAndMismatchedLabels() {
        assertThatThrownBy(() -> SigmoidBinaryCrossEntropy.forward(Tensor.zeros(3, 2), new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[N] or [N, 1]");
        assertThatThrownBy(() -> SigmoidBinaryCrossEntropy.forward(Tensor.zeros(3), new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 logits but 2 labels");
        assertThatThrownBy(() -> SigmoidBinaryCrossEntropy.forward(Tensor.zeros(1), new float[] {2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in [0, 1]");
    }
}
