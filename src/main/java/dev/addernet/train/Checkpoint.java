package dev.addernet.train;

import dev.addernet.io.FormatException;
import dev.addernet.io.SafeTensors;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.Module;
import dev.addernet.nn.Parameter;
import dev.addernet.optim.Sgd;
import dev.addernet.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * What {@code --resume} continues from, written atomically after every epoch: the network's state
 * ({@code model.*}), what the training method trains beside it ({@code method.*}), the optimiser's
 * momentum buffers of every parameter group ({@code velocity.*}) and, in the metadata, the number of
 * finished epochs and the best validation result so far. No RNG state is needed: the data order and
 * every other random draw of epoch e are functions of (seed, e), so a resumed run repeats an
 * uninterrupted one exactly.
 */
public record Checkpoint(int epochsDone, double bestVal, int bestEpoch) {

    public void save(Path file, Module model, Map<String, Tensor> methodState, Sgd opt) throws IOException {
        SafeTensors.Writer w = SafeTensors.writer();
        model.state().forEach((name, t) -> w.put("model." + name, t.shape(), t.data));
        methodState.forEach((name, t) -> w.put("method." + name, t.shape(), t.data));
        Map<String, Parameter> params = opt.parameters();
        opt.velocity().forEach((name, v) -> w.put("velocity." + name, params.get(name).shape(), v));
        w.metadata("epochs_done", Integer.toString(epochsDone))
                .metadata("best_val", Double.toString(bestVal))
                .metadata("best_epoch", Integer.toString(bestEpoch))
                .write(file);
    }

    /** Restores model, method state and optimiser in place and returns the progress recorded with them. */
    public static Checkpoint restore(Path file, Module model, Map<String, Tensor> methodState, Sgd opt) throws IOException {
        SafeTensors st = SafeTensors.read(file);
        WeightsFile.loadState(file, st, "model.", model.state());
        WeightsFile.loadState(file, st, "method.", methodState);
        Map<String, Parameter> params = opt.parameters();
        for (String name : st.names()) {
            if (name.startsWith("method.") && !methodState.containsKey(name.substring("method.".length()))) {
                throw new FormatException(file, "tensor '" + name + "' belongs to no part of this run's training method");
            }
            if (!name.startsWith("velocity.")) continue;
            String param = name.substring("velocity.".length());
            if (!params.containsKey(param)) throw new FormatException(file, "velocity for unknown parameter '" + param + "'");
            // a buffer of another shape would be read out of bounds (or silently in part) by the next step
            int[] expected = params.get(param).shape(), actual = st.shape(name);
            if (!Arrays.equals(expected, actual)) {
                throw new FormatException(file, "tensor '" + name + "' has shape " + Arrays.toString(actual)
                        + ", its parameter has shape " + Arrays.toString(expected));
            }
            opt.velocity().put(param, st.floats(name));
        }
        Map<String, String> meta = st.metadata();
        try {
            return new Checkpoint(Integer.parseInt(meta.get("epochs_done")), Double.parseDouble(meta.get("best_val")),
                    Integer.parseInt(meta.get("best_epoch")));
        } catch (RuntimeException e) {
            throw new FormatException(file, "metadata epochs_done/best_val/best_epoch missing or not numbers: " + meta);
        }
    }
}
