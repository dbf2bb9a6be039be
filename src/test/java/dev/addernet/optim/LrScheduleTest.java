package dev.addernet.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    private static final double BASE = 0.1;
    private static final int EPOCHS = 10, STEPS = 50;

    @Test
    void cosinePerStep() {
        LrSchedule s = LrSchedule.cosinePerStep(BASE, EPOCHS);
        assertThat(s.lr(0, 0, STEPS)).isCloseTo(BASE, within(1e-12));
        assertThat(s.lr(5, 0, STEPS)).as("half way").isCloseTo(BASE / 2, within(1e-12));
        // a quarter of the way: base (1 + cos(pi/4)) / 2
        assertThat(s.lr(2, 25, STEPS)).isCloseTo(BASE * (1 + Math.sqrt(0.5)) / 2, within(1e-12));
        double last = s.lr(EPOCHS - 1, STEPS - 1, STEPS);
        assertThat(last).as("last step").isGreaterThanOrEqualTo(0).isLessThan(1e-4 * BASE);
        assertThat(s.lr(EPOCHS, 0, STEPS)).as("end").isCloseTo(0, within(1e-12));
        // updated every step, strictly decreasing
        double prev = Double.POSITIVE_INFINITY;
        for (int e = 0; e < EPOCHS; e++) for (int k = 0; k < STEPS; k++) {
            double lr = s.lr(e, k, STEPS);
            assertThat(lr).as("epoch %d step %d", e, k).isLessThan(prev);
            prev = lr;
        }
    }

    @Test
    void cosinePerEpochIsConstantWithinAnEpoch() {
        LrSchedule s = LrSchedule.cosinePerEpoch(BASE, EPOCHS);
        for (int e = 0; e < EPOCHS; e++) {
            double expected = BASE * (1 + Math.cos(Math.PI * e / EPOCHS)) / 2;
            for (int k = 0; k < STEPS; k++) assertThat(s.lr(e, k, STEPS)).as("epoch %d step %d", e, k).isCloseTo(expected, within(1e-12));
        }
        assertThat(s.lr(0, 17, STEPS)).isCloseTo(BASE, within(1e-12));
        assertThat(s.lr(5, 49, STEPS)).isCloseTo(BASE / 2, within(1e-12));
        assertThat(s.lr(3, 0, STEPS)).isLessThan(s.lr(2, STEPS - 1, STEPS));
    }

    @Test
    void stepDecay() {
        LrSchedule s = LrSchedule.step(BASE, 3, 0.1);
        for (int e : new int[] {0, 1, 2}) assertThat(s.lr(e, 10, STEPS)).isCloseTo(0.1, within(1e-12));
        for (int e : new int[] {3, 4, 5}) assertThat(s.lr(e, 10, STEPS)).isCloseTo(0.01, within(1e-12));
        assertThat(s.lr(6, 0, STEPS)).isCloseTo(0.001, within(1e-12));
        assertThat(s.lr(9, 49, STEPS)).isCloseTo(1e-4, within(1e-15));
        assertThat(LrSchedule.step(1.0, 2, 0.5).lr(5, 0, STEPS)).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void polynomial() {
        LrSchedule s = LrSchedule.polynomial(BASE, EPOCHS, 0.9);
        assertThat(s.lr(0, 0, STEPS)).isCloseTo(BASE, within(1e-12));
        assertThat(s.lr(5, 0, STEPS)).isCloseTo(BASE * Math.pow(0.5, 0.9), within(1e-12));
        // t = (7 * 50 + 25) / 500 = 0.75
        assertThat(s.lr(7, 25, STEPS)).isCloseTo(BASE * Math.pow(0.25, 0.9), within(1e-12));
        assertThat(s.lr(EPOCHS, 0, STEPS)).isCloseTo(0, within(1e-12));
        assertThat(LrSchedule.polynomial(2.0, 4, 1.0).lr(1, 0, 10)).as("linear").isCloseTo(1.5, within(1e-12));
    }

    @Test
    void constant() {
        LrSchedule s = LrSchedule.constant(0.05);
        assertThat(s.lr(0, 0, STEPS)).isEqualTo(0.05);
        assertThat(s.lr(7, 33, STEPS)).isEqualTo(0.05);
        assertThat(s.lr(1000, 0, 1)).isEqualTo(0.05);
    }

    @Test
    void parseMapsEveryName() {
        int epochs = 9;
        assertThat(LrSchedule.parse("cosine", BASE, epochs).lr(3, 10, STEPS))
                .isCloseTo(LrSchedule.cosinePerStep(BASE, epochs).lr(3, 10, STEPS), within(1e-15));
        assertThat(LrSchedule.parse("cosine", BASE, epochs).lr(3, 10, STEPS))
                .isNotCloseTo(LrSchedule.parse("cosine", BASE, epochs).lr(3, 0, STEPS), within(1e-9));
        assertThat(LrSchedule.parse("cosine-epoch", BASE, epochs).lr(3, 10, STEPS))
                .isCloseTo(LrSchedule.cosinePerEpoch(BASE, epochs).lr(3, 0, STEPS), within(1e-15));
        LrSchedule step = LrSchedule.parse("step", BASE, epochs);   // every epochs / 3 = 3 epochs, gamma 0.1
        assertThat(step.lr(2, 0, STEPS)).isCloseTo(0.1, within(1e-12));
        assertThat(step.lr(3, 0, STEPS)).isCloseTo(0.01, within(1e-12));
        assertThat(step.lr(8, 0, STEPS)).isCloseTo(0.001, within(1e-12));
        assertThat(LrSchedule.parse("step", BASE, 2).lr(1, 0, STEPS)).as("every at least 1 epoch").isCloseTo(0.01, within(1e-12));
        assertThat(LrSchedule.parse("poly", BASE, epochs).lr(3, 10, STEPS))
                .isCloseTo(LrSchedule.polynomial(BASE, epochs, 0.9).lr(3, 10, STEPS), within(1e-15));
        assertThat(LrSchedule.parse("constant", BASE, epochs).lr(8, 49, STEPS)).isEqualTo(BASE);
    }

    @Test
    void namesListsEveryAcceptedName() {
        for (String name : LrSchedule.NAMES.split(",\\s*")) {
            assertThat(LrSchedule.parse(name, BASE, EPOCHS).lr(0, 0, STEPS)).as(name).isCloseTo(BASE, within(1e-12));
        }
    }

    @Test
    void parseRejectsAnUnknownNameListingTheNames() {
        assertThatThrownBy(() -> LrSchedule.parse("exponential", BASE, EPOCHS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exponential")
                .hasMessageContaining("cosine")
                .hasMessageContaining("cosine-epoch")
                .hasMessageContaining("step")
                .hasMessageContaining("poly")
                .hasMessageContaining("constant");
    }
}
