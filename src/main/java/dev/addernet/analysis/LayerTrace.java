package dev.addernet.analysis;

import dev.addernet.models.ModelConfig;
import dev.addernet.nn.LayerObserver;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layers a network actually runs on one image, in execution order, with the shapes they see: what
 * {@link ModelSummary} and {@link OpCounter} are computed from, so their numbers follow the architecture
 * as built rather than a table of constants. Recorded by a {@link LayerObserver} during one forward pass
 * in evaluation mode (BatchNorm statistics untouched) on a seeded N(0, 1) image.
 *
 * @param input  the input shape, [1, channels, size, size]
 * @param layers every layer module that ran (filter layers, BatchNorm, pools, ReLU and Flatten modules)
 */
public record LayerTrace(int[] input, List<Entry> layers) {

    /**
     * One layer call.
     *
     * @param name  the layer's dotted name in the network (as its state names: {@code layer1.0.conv1})
     * @param layer the module
     */
    public record Entry(String name, Module layer, int[] inputShape, int[] outputShape) {}

    public static LayerTrace of(Module model, ModelConfig cfg) {
        Map<Module, String> names = new IdentityHashMap<>();
        model.modules().forEach((path, m) -> names.put(m, path));
        Tensor x = Tensor.zeros(1, cfg.inChannels(), cfg.imageSize(), cfg.imageSize());
        new Rng(0).fillGaussian(x.data, 1.0);
        List<Entry> entries = new ArrayList<>();
        boolean wasTraining = model.isTraining();
        model.train(false);
        try {
            LayerObserver.watch((layer, in, out) -> entries.add(new Entry(names.getOrDefault(layer, layer.describe()), layer,
                    in.shape(), out.shape())), () -> model.forward(x));
        } finally {
            model.train(wasTraining);
        }
        return new LayerTrace(x.shape(), List.copyOf(entries));
    }
}
