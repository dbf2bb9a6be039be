package dev.addernet.interop;

/**
 * The tensor names of the reference AdderNet (huawei-noah/AdderNet, PyTorch) against ours. They differ
 * in three ways: a model saved from {@code nn.DataParallel} prefixes every name with {@code module.};
 * the reference's adder layer keeps its filters in a parameter called {@code adder}
 * ({@code layer1.0.conv1.adder}) where ours is {@code weight}, as for a convolution; and PyTorch's
 * BatchNorm counts its training steps in {@code num_batches_tracked}, which inference does not use.
 */
public final class ReferenceNames {
    static final String DATA_PARALLEL = "module.";
    static final String ADDER = ".adder";
    static final String WEIGHT = ".weight";
    static final String BATCHES_TRACKED = "num_batches_tracked";
    static final String RUNNING_VAR = ".running_var";

    private ReferenceNames() {}

    /** Our name for the reference's tensor {@code name}, or null for a tensor we drop. */
    public static String toOurs(String name) {
        String n = name.startsWith(DATA_PARALLEL) ? name.substring(DATA_PARALLEL.length()) : name;
        if (n.equals(BATCHES_TRACKED) || n.endsWith("." + BATCHES_TRACKED)) return null;
        return isAdder(n) ? n.substring(0, n.length() - ADDER.length()) + WEIGHT : n;
    }

    /** Whether the reference's tensor {@code name} holds an adder layer's filters. */
    public static boolean isAdder(String name) {
        return name.endsWith(ADDER);
    }

    /** The reference's name for our tensor {@code name}; {@code adder} says it is an adder layer's filters. */
    public static String toReference(String name, boolean adder) {
        if (adder && !name.endsWith(WEIGHT)) throw new IllegalArgumentException("adder filters '" + name + "' should end in " + WEIGHT);
        return adder ? name.substring(0, name.length() - WEIGHT.length()) + ADDER : name;
    }

    /**
     * For our BatchNorm statistic {@code name} ending in {@code .running_var}, the name of the BatchNorm's
     * {@code num_batches_tracked} (PyTorch's strict {@code load_state_dict} wants it); null for other names.
     */
    public static String batchesTrackedBeside(String name) {
        return name.endsWith(RUNNING_VAR) ? name.substring(0, name.length() - RUNNING_VAR.length() + 1) + BATCHES_TRACKED : null;
    }
}
