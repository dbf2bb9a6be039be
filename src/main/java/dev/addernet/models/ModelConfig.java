package dev.addernet.models;

import dev.addernet.nn.Op;

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
