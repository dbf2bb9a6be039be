package dev.addernet.models;

import dev.addernet.kernel.AdderOptions;
import dev.addernet.nn.AdderLayers;
import dev.addernet.nn.Module;
import dev.addernet.kernel.Op;
import dev.addernet.tensor.Rng;
import java.util.List;

/** Builds a network by name from its configuration. */
public final class Models {
    public static final List<String> NAMES = List.of("lenet5", "lenetpp", "resnet20", "resnet32", "vgg-small", "resnet18", "resnet50");

    private Models() {}

    /** Refuses a name that is not a model of the zoo, listing those that are. */
    public static void requireKnown(String model) {
        if (!NAMES.contains(model)) throw new IllegalArgumentException("unknown model '" + model + "': expected one of " + NAMES);
    }

    public static Module build(ModelConfig cfg, long seed) {
        Rng rng = Rng.derive(seed, 1);
        Module net = switch (cfg.model()) {
            case "lenet5" -> LeNet5.build(cfg, rng);
            case "lenetpp" -> LeNetPP.build(cfg, rng);
            case "resnet20" -> ResNetCifar.build(cfg, 3, rng);
            case "resnet32" -> ResNetCifar.build(cfg, 5, rng);
            case "vgg-small" -> VggSmall.build(cfg, rng);
            case "resnet18" -> ResNetImageNet.build(cfg, new int[] {2, 2, 2, 2}, false, rng);
            case "resnet50" -> ResNetImageNet.build(cfg, new int[] {3, 4, 6, 3}, true, rng);
            default -> throw new IllegalArgumentException("unknown model '" + cfg.model() + "': expected one of " + NAMES);
        };
        // the distance belongs to the network: an L2 or Lp model's weights are only right at their p (Eq. 26)
        AdderLayers.configure(net, AdderOptions.DEFAULT.withP(cfg.p()));
        return net;
    }

    /** The input size a model takes for a dataset's images (smaller images are zero-padded up to it). */
    public static int inputSize(String model, int datasetSize) {
        return model.equals("lenet5") ? 32 : datasetSize;
    }

    /** The configuration a model name implies for a dataset's images, with the model's default first/last choice. */
    public static ModelConfig config(String model, String op, int inChannels, int imageSize, int numClasses, Boolean firstLast) {
        return config(model, op, inChannels, imageSize, numClasses, firstLast, 0);
    }

    /** As above with LeNet++'s feature dimension ({@code featureDim} 0: the default). */
    public static ModelConfig config(String model, String op, int inChannels, int imageSize, int numClasses, Boolean firstLast,
                                     int featureDim) {
        return new ModelConfig(model, op, inChannels, imageSize, numClasses,
                firstLast != null ? firstLast : defaultFirstLast(model, op), featureDim, 1);
    }

    /**
     * Whether the first and last layers take the network's op by default. Binary nets: no, for every model,
     * as the papers' BNN rows ("the general setting in binary networks to set the first and last layers as
     * full-precision", Universal AdderNets Sec. 5.3). Otherwise yes for the MNIST networks (LeNet-5-BN: "we
     * replace the convolutional filters in LeNet-5-BN with our adder filters"; LeNet++), no for the CIFAR
     * and ImageNet networks, where the papers follow the binary networks' setting "for a fair comparison".
     */
    public static boolean defaultFirstLast(String model, String op) {
        if (Op.parse(op) == Op.BINARY) return false;
        return model.equals("lenet5") || model.equals("lenetpp");
    }

    /**
     * A model on the data it was defined for, for analysis without a dataset (summary, count): channels,
     * input size and classes of MNIST (LeNets: 32x32 for LeNet-5, 28x28 for LeNet++), CIFAR-10 (32x32) or
     * ImageNet (224x224, 1000 classes). {@code numClasses} and {@code featureDim} 0 keep the defaults.
     */
    public static ModelConfig standard(String model, String op, Boolean firstLast, int numClasses, int featureDim) {
        requireKnown(model);
        boolean imageNet = model.equals("resnet18") || model.equals("resnet50");
        int channels = model.startsWith("lenet") ? 1 : 3;
        int size = switch (model) {
            case "lenetpp" -> 28;
            case "resnet18", "resnet50" -> 224;
            default -> 32;
        };
        int classes = numClasses > 0 ? numClasses : imageNet ? 1000 : 10;
        return new ModelConfig(model, op, channels, size, classes, firstLast != null ? firstLast : defaultFirstLast(model, op), featureDim, 1);
    }
}
