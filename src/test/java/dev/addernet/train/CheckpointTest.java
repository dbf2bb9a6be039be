package dev.addernet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.io.FormatException;
import dev.addernet.io.SafeTensors;
import dev.addernet.models.Models;
import dev.addernet.nn.Module;
import dev.addernet.optim.Sgd;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir Path tmp;

    static Module model() {
        return Models.build(Models.config("lenet5", "conv", 1, 32, 10, null), 1);
    }

    static Sgd optimiser(Module m) {
        return new Sgd(m.parameters(), 0.9, true, 5e-4, 0.2, true);
    }

    @Test
    void restoresModelMomentumAndProgress() throws Exception {
        Module m = model();
        Sgd opt = optimiser(m);
        float[] v = new float[m.parameters().get("conv1.weight").data.length];
        v[3] = 0.25f;
        opt.velocity().put("conv1.weight", v);
        Path file = tmp.resolve("state.safetensors");
        new Checkpoint(2, 0.5, 1).save(file, m, Map.of(), opt);

        Module m2 = model();
        Sgd opt2 = optimiser(m2);
        assertThat(Checkpoint.restore(file, m2, Map.of(), opt2)).isEqualTo(new Checkpoint(2, 0.5, 1));
        assertThat(opt2.velocity().get("conv1.weight")).containsExactly(v);
    }

    @Test
    void momentumBufferOfTheWrongShapeNamesFileAndKey() throws Exception {
        Module m = model();
        SafeTensors.Writer w = SafeTensors.writer();
        m.state().forEach((name, t) -> w.put("model." + name, t.shape(), t.data));
        w.put("velocity.conv1.weight", new int[] {6, 1, 3, 3}, new float[6 * 9]);
        Path file = tmp.resolve("tampered.safetensors");
        w.metadata("epochs_done", "1").metadata("best_val", "0.5").metadata("best_epoch", "1").write(file);

        assertThatThrownBy(() -> Checkpoint.restore(file, model(), Map.of(), optimiser(model())))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("velocity.conv1.weight").hasMessageContaining("[6, 1, 3, 3]");
    }
}
