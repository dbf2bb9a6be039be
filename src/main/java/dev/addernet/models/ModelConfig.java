package dev.addernet.models;

import dev.addernet.nn.Op;

/**
 * Everything needed to rebuild a network: stored as JSON in the metadata of every weights file, so
 * that {@code eval}, {@code infer} and {@code count} need nothing but the file.
 *
 * @param model     architecture name, e.g. {@code lenet5}
 * @param op        what the filter layers compute
 * @param firstLast {@code true}: first and last layers use the network's op; {@code false}: they stay
 *                  full-precision convolutions (the papers' ResNet convention)
 */
public record ModelConfig(String model, String op, int inChannels, int imageSize, int numClasses, boolean firstLast) {
    public Op opValue() {
        return Op.parse(op);
    }
}
