package dev.addernet.models;

import dev.addernet.kernel.Op;

/**
 * Everything needed to rebuild a network: stored as JSON in the metadata of every weights file, so
 * that {@code eval}, {@code infer} and {@code count} need nothing but the file.
 *
 * @param model      architecture name, e.g. {@code lenet5}
 * @param op         what the filter layers compute
 * @param firstLast  {@code true}: first and last layers use the network's op; {@code false}: they stay
 *                   full-precision convolutions (the papers' ResNet convention)
 * @param featureDim LeNet++'s feature-layer width; 0 for the model's default (2), which is also what a
 *                   file written before this field existed reads as. Other models ignore it.
 * @param p          the adder layers' distance, Y = -sum |X - W|^p (Universal AdderNets Eq. 26): 1 for
 *                   AdderNet, 2 for the L2-AdderNet, and an Lp-AdderNet's weights are only right with the
 *                   p they were evaluated at. 0 (a file written before this field existed) reads as 1.
 *                   Other ops ignore it.
 * @param head       the classifier head the network ends in (see {@link Heads}); a file written before this
 *                   field existed reads as {@code linear}, the model's own layer
 */
public record ModelConfig(String model, String op, int inChannels, int imageSize, int numClasses, boolean firstLast,
                          int featureDim, float p, String head) {
    public ModelConfig {
        if (p == 0) p = 1;
        if (head == null) head = Heads.LINEAR;
    }

    /** Largest values a configuration may hold: beyond them a file is corrupt, and building the network would exhaust memory. */
    public static final int MAX_CHANNELS = 4096, MAX_IMAGE_SIZE = 4096, MAX_CLASSES = 100_000, MAX_FEATURE_DIM = 65_536;

    /**
     * Refuses a configuration no network can be built from, as one line naming the key (the field's JSON
     * name) and what was expected; a configuration read from a file is checked before anything is built.
     */
    public void check() {
        if (!Models.NAMES.contains(model)) throw new IllegalArgumentException("model '" + model + "', expected one of " + Models.NAMES);
        try {
            Op.parse(op);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("op '" + op + "', expected conv, adder or binary");
        }
        range("in_channels", inChannels, 1, MAX_CHANNELS);
        range("image_size", imageSize, 1, MAX_IMAGE_SIZE);
        range("num_classes", numClasses, 1, MAX_CLASSES);
        range("feature_dim", featureDim, 0, MAX_FEATURE_DIM);
        if (!(p > 0) || Float.isInfinite(p)) throw new IllegalArgumentException("p is " + p + ", expected a finite number above 0");
        if (!Heads.NAMES.contains(head)) throw new IllegalArgumentException("head '" + head + "', expected one of " + Heads.NAMES);
    }

    private static void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " is " + value + ", expected from " + min + " to " + max);
        }
    }

    /** A configuration with the model's own head. */
    public ModelConfig(String model, String op, int inChannels, int imageSize, int numClasses, boolean firstLast, int featureDim, float p) {
        this(model, op, inChannels, imageSize, numClasses, firstLast, featureDim, p, Heads.LINEAR);
    }

    /** A configuration with the default feature dimension (every model but LeNet++ has none), p = 1 and the model's own head. */
    public ModelConfig(String model, String op, int inChannels, int imageSize, int numClasses, boolean firstLast) {
        this(model, op, inChannels, imageSize, numClasses, firstLast, 0, 1);
    }

    /** The same network with the adder layers at distance p. */
    public ModelConfig withP(float newP) {
        return new ModelConfig(model, op, inChannels, imageSize, numClasses, firstLast, featureDim, newP, head);
    }

    /** The same network ending in another head (null: the model's own). */
    public ModelConfig withHead(String newHead) {
        return new ModelConfig(model, op, inChannels, imageSize, numClasses, firstLast, featureDim, p, newHead);
    }

    public Op opValue() {
        return Op.parse(op);
    }
}
