package dev.addernet.models;

import dev.addernet.nn.Module;
import dev.addernet.tensor.Rng;
import java.util.List;

/** Builds a network by name from its configuration. */
public final class Models {
    public static final List<String> NAMES = List.of("lenet5", "resnet20", "resnet32");

    private Models() {}

    public static Module build(ModelConfig cfg, long seed) {
        Rng rng = Rng.derive(seed, 1);
        return switch (cfg.model()) {
            case "lenet5" -> LeNet5.build(cfg, rng);
            case "resnet20" -> new ResNetCifar(cfg, 3, rng);
            case "resnet32" -> new ResNetCifar(cfg, 5, rng);
            default -> throw new IllegalArgumentException("unknown model '" + cfg.model() + "': expected one of " + NAMES);
        };
    }

    /** The input size a model takes for a dataset's images (smaller images are zero-padded up to it). */
    public static int inputSize(String model, int datasetSize) {
        return model.equals("lenet5") ? 32 : datasetSize;
    }

    /** The configuration a model name implies for a dataset's images, with the model's default first/last choice. */
    public static ModelConfig config(String model, String op, int inChannels, int imageSize, int numClasses, Boolean firstLast) {
        boolean fl = firstLast != null ? firstLast : model.equals("lenet5");
        return new ModelConfig(model, op, inChannels, imageSize, numClasses, fl);
    }
}
