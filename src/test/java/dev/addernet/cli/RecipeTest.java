package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.addernet.optim.LrSchedule;
import org.junit.jupiter.api.Test;

/** The recipes hold the papers' settings (README's recipe table), down to the learning rates they produce. */
class RecipeTest {
    /** CIFAR-10 at batch 256: 50,000 / 256 rounded up. */
    private static final int STEPS = 196;

    private static LrSchedule schedule(Recipe r) {
        return LrSchedule.parse(r.schedule(), r.lr(), r.epochs());
    }

    @Test
    void cifarJournal() {
        Recipe r = Recipe.named("cifar-journal");
        assertThat(r).isEqualTo(new Recipe("cifar-journal", "resnet20", "cifar10", 800, 256, 0.1, "poly", "sgd", 0.9, 5e-4, 0.1,
                new Recipe.Lp(2, 1, 0.75)));
        assertThat(r.lp().epochs(800)).isEqualTo(600);
        assertThat(r.lp().epochs(8)).isEqualTo(6);
        // 0.1 (1 - t)^0.9, t the fraction of all steps done
        LrSchedule lr = schedule(r);
        assertThat(lr.lr(0, 0, STEPS)).isCloseTo(0.1, within(1e-12));
        assertThat(lr.lr(400, 0, STEPS)).isCloseTo(0.1 * Math.pow(0.5, 0.9), within(1e-12));
        assertThat(lr.lr(600, 98, STEPS)).isCloseTo(0.1 * Math.pow(1 - (600 * 196 + 98) / (800.0 * 196), 0.9), within(1e-12));
        assertThat(lr.lr(799, STEPS - 1, STEPS)).isPositive().isLessThan(1e-4);
    }

    @Test
    void cifarReference() {
        Recipe r = Recipe.named("cifar-reference");
        assertThat(r).isEqualTo(new Recipe("cifar-reference", "resnet20", "cifar10", 400, 256, 0.1, "cosine-epoch", "sgd", 0.9, 5e-4,
                0.2, null));
        // the reference's 0.05 (1 + cos(pi e / E)), e the epoch: the same rate at every step of an epoch
        LrSchedule lr = schedule(r);
        for (int e : new int[] {0, 1, 100, 200, 300, 399}) {
            double expected = 0.05 * (1 + Math.cos(Math.PI * e / 400));
            for (int step : new int[] {0, 97, STEPS - 1}) assertThat(lr.lr(e, step, STEPS)).as("epoch %d step %d", e, step).isCloseTo(expected, within(1e-12));
        }
        assertThat(lr.lr(200, 0, STEPS)).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void mnist() {
        Recipe r = Recipe.named("mnist");
        assertThat(r).isEqualTo(new Recipe("mnist", "lenet5", "fashion-mnist", 5, 256, 0.1, "cosine", "nesterov", 0.9, 5e-4, 0.2, null));
        // cosine updated every step: half way through the middle epoch the rate is 0.05
        assertThat(schedule(r).lr(2, 118, 236)).isCloseTo(0.05, within(1e-12));
        assertThat(schedule(r).lr(2, 0, 236)).isGreaterThan(0.05);
    }

    @Test
    void imagenetJournal() {
        Recipe r = Recipe.named("imagenet-journal");
        assertThat(r).isEqualTo(new Recipe("imagenet-journal", "resnet18", "imagenet", 300, 256, 0.1, "cosine", "nesterov", 0.9, 1e-4,
                0.1, null));
        assertThat(schedule(r).lr(150, 0, 5005)).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void defaultRecipeByModel() {
        for (String m : new String[] {"lenet5", "lenetpp"}) assertThat(Recipe.forModel(m).name()).as(m).isEqualTo("mnist");
        for (String m : new String[] {"resnet20", "resnet32", "vgg-small"}) assertThat(Recipe.forModel(m).name()).as(m).isEqualTo("cifar-reference");
        for (String m : new String[] {"resnet18", "resnet50"}) assertThat(Recipe.forModel(m).name()).as(m).isEqualTo("imagenet-journal");
        assertThatThrownBy(() -> Recipe.named("cifar")).hasMessageContaining("'cifar'").hasMessageContaining("cifar-journal");
    }

    @Test
    void pkkdImageNetRecipeIsTheDistillationDefaultOfTheImageNetModels() {
        // PKKD Sec. 4.2: 150 epochs, lr 0.1 cosine, weight decay 1e-4, momentum 0.9, batch 256
        assertThat(Recipe.named("imagenet-pkkd")).isEqualTo(new Recipe("imagenet-pkkd", "resnet18", "imagenet", 150, 256, 0.1, "cosine",
                "sgd", 0.9, 1e-4, 0.1, null));
        for (String m : new String[] {"resnet18", "resnet50"}) assertThat(Recipe.forDistillation(m).name()).as(m).isEqualTo("imagenet-pkkd");
        assertThat(Recipe.forDistillation("resnet20").name()).isEqualTo("cifar-reference");
        assertThat(Recipe.forDistillation("lenet5").name()).isEqualTo("mnist");
    }
}
