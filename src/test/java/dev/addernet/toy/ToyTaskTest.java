package dev.addernet.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The toy tasks' labels (Universal AdderNets Eq. 34-36), their sampling, and what the paper's Fig. 2 shows. */
class ToyTaskTest {

    @Test
    void labelsFollowTheEquations() {
        // Eq. 34: inside radius 10 -> 1, beyond 15 -> 0, the band between dropped (-1)
        assertThat(ToyTask.UNIT_BALL.label(9.9, 0)).isEqualTo(1);
        assertThat(ToyTask.UNIT_BALL.label(8, 8)).isEqualTo(-1); // r = 11.3
        assertThat(ToyTask.UNIT_BALL.label(0, -15.1)).isEqualTo(0);
        // Eq. 35: balls of radius 10 around (10, 10) and (-10, -10)
        assertThat(ToyTask.MULTI_BALL.label(10, 10)).isEqualTo(1);
        assertThat(ToyTask.MULTI_BALL.label(-15, -5)).isEqualTo(1);
        assertThat(ToyTask.MULTI_BALL.label(0, 0)).isEqualTo(0); // on neither ball (distance 14.1)
        assertThat(ToyTask.MULTI_BALL.label(10, -10)).isEqualTo(0);
        // Eq. 36: x * y >= 0
        assertThat(ToyTask.LINEAR.label(3, 4)).isEqualTo(1);
        assertThat(ToyTask.LINEAR.label(-3, -4)).isEqualTo(1);
        assertThat(ToyTask.LINEAR.label(0, -4)).isEqualTo(1);
        assertThat(ToyTask.LINEAR.label(-3, 4)).isEqualTo(0);
    }

    @Test
    void samplesKeepTheRequestedCountWithTheirLabelsAndReadStdAsTheSpread() {
        ToyData d = ToyTask.UNIT_BALL.sample(2000, new Rng(5));
        assertThat(d.size()).isEqualTo(2000);
        int positives = 0;
        for (int i = 0; i < d.size(); i++) {
            double x = d.xy()[2 * i], y = d.xy()[2 * i + 1];
            assertThat(ToyTask.UNIT_BALL.label(x, y)).isEqualTo((int) d.labels()[i]);
            positives += (int) d.labels()[i];
        }
        // std 10: P(r < 10) = 1 - e^{-1/2} = 0.393, P(r > 15) = e^{-9/8} = 0.325; kept, 0.547 of the points are positive
        assertThat(positives / 2000.0).isBetween(0.50, 0.60);
        // the same seed gives the same points; another seed others
        assertThat(ToyTask.UNIT_BALL.sample(2000, new Rng(5)).xy()).containsExactly(d.xy());
        assertThat(ToyTask.UNIT_BALL.sample(2000, new Rng(6)).xy()).isNotEqualTo(d.xy());
    }

    @Test
    void unknownTaskNamesTheChoices() {
        assertThatThrownBy(() -> ToyTask.parse("ball")).hasMessage("unknown toy task 'ball': expected unit-ball, multi-ball, linear");
    }

    /**
     * Fig. 2's claim on a shortened schedule: one adder unit encloses the ball (an L1 diamond with its
     * threshold in [14.1, 15]), while one ReLU unit of a fully connected net gives a half-plane, which
     * cannot exceed about 3/4 of these points.
     */
    @Test
    void oneAdderUnitSeparatesTheUnitBallAndOneLinearUnitCannot() {
        ToyExperiment ex = new ToyExperiment(ToyTask.UNIT_BALL, 1);
        List<ToyExperiment.Result> r = ex.runAll(List.of(ToyNet.Kind.FC, ToyNet.Kind.ADDER), List.of(1), 3000);
        assertThat(r.get(0).kind()).isEqualTo(ToyNet.Kind.FC);
        assertThat(r.get(0).accuracy()).isLessThan(0.9);
        assertThat(r.get(1).accuracy()).isGreaterThanOrEqualTo(0.99);
        assertThat(r.get(1).heldoutAccuracy()).isGreaterThanOrEqualTo(0.98);
        // the region is a bounded blob around the origin: the grid's centre is class 1, its corners class 0
        byte[] region = r.get(1).region();
        int g = ToyExperiment.GRID;
        assertThat(region[(g / 2) * g + g / 2]).isEqualTo((byte) 1);
        assertThat(region[0]).isZero();
        assertThat(region[g * g - 1]).isZero();
    }
}
