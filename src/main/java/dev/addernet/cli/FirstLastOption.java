package dev.addernet.cli;

import dev.addernet.kernel.Op;

/**
 * The {@code --first-last} option, parsed alike by {@code train}, {@code import}, {@code summary} and
 * {@code count}: {@code full} keeps the first and last filter layers full-precision convolutions,
 * {@code same} gives them the network's op. An op name says the same thing by the layers' op, as the
 * issue's {@code --first-last adder} does: {@code conv} is full precision, the network's own op is
 * {@code same}; any other op is refused, since the models have no first and last layers of a third kind.
 */
final class FirstLastOption {
    static final String DESCRIPTION = "full: first/last layers full-precision convolutions; same (or the network's op): of the "
            + "network's op (default: full for binary nets and the CIFAR/ImageNet models, same for the LeNets).";

    private FirstLastOption() {}

    /** true for same, false for full, null (the model's default) when the option is not given. */
    static Boolean parse(String value, String op) {
        if (value == null) return null;
        if (value.equals("full") || value.equals("conv")) return false;
        if (value.equals("same") || value.equals(Op.parse(op).id())) return true;
        throw new IllegalArgumentException("--first-last must be full or same (or conv, or the network's op " + Op.parse(op).id()
                + "), got '" + value + "'");
    }
}
