package dev.addernet.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpProfileTest {
    private static final ModelConfig LENET = Models.config("lenet5", "adder", 1, 32, 10, null);

    private static float[] step(Module net) {
        Tensor x = Tensor.zeros(4, 1, 32, 32);
        new Rng(3).fillGaussian(x.data, 1);
        try (Tape tape = Tape.open()) {
            Tensor loss = CrossEntropy.forward(net.forward(x), new int[] {0, 1, 2, 3});
            tape.backward(loss);
        }
        return net.parameters().get("conv2.weight").grad().clone();
    }

    @Test
    void timesEachOpsForwardAndBackwardUnderItsOwnName() {
        Module net = Models.build(LENET, 1);
        Map<String, Double> forward, backward;
        try (OpProfile profile = OpProfile.start()) {
            step(net);
            forward = profile.forwardSeconds();
            backward = profile.backwardSeconds();
        }
        assertThat(forward).containsKeys("Conv", "BatchNorm", "Relu", "MaxPool", "CrossEntropy");
        assertThat(backward).containsKeys("Conv", "BatchNorm", "Relu", "MaxPool", "CrossEntropy");
        assertThat(forward.keySet()).doesNotContain("Tape", "OpProfile", "?");
        forward.values().forEach(s -> assertThat(s).isPositive());
        backward.values().forEach(s -> assertThat(s).isPositive());
    }

    @Test
    void aProfiledStepComputesWhatAnUnprofiledOneDoes() {
        float[] plain = step(Models.build(LENET, 1)), profiled;
        try (OpProfile profile = OpProfile.start()) {
            profiled = step(Models.build(LENET, 1));
        }
        assertThat(profiled).containsExactly(plain);
    }

    @Test
    void onlyTheStartingThreadsTapesAreTimedAndOneProfileAtATime() throws Exception {
        try (OpProfile profile = OpProfile.start()) {
            float[][] otherGrad = new float[1][];
            Thread other = Thread.ofPlatform().start(() -> otherGrad[0] = step(Models.build(LENET, 1)));
            other.join();
            assertThat(otherGrad[0]).as("the other thread's step ran").isNotNull();
            assertThat(profile.forwardSeconds()).isEmpty();
            assertThatThrownBy(OpProfile::start).isInstanceOf(IllegalStateException.class);
        }
        try (OpProfile again = OpProfile.start()) {
            assertThat(again.backwardSeconds()).isEmpty();
        }
    }
}
