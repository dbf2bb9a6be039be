package dev.addernet.method.pkkd;

import java.util.Arrays;

/**
 * What PKKD's intermediate loss compares of each distilled layer (the rows of PKKD Table 1, and the MMD
 * baseline of Table 2). Every variant but {@code mmd} reads each layer's output standardised per channel
 * over the batch (see {@link DistilledLayer}).
 */
public enum FeatureLoss {
    /** No intermediate loss: knowledge distillation on the logits alone (Eq. 4). */
    NONE("none"),
    /** MSE of the outputs themselves. */
    MSE("mse"),
    /** MSE after a learnable 1x1 convolution on each side. */
    CONV1X1("conv1x1"),
    /** MSE of the kernel transforms, g for the student and h for the teacher (Eq. 7-8). */
    KERNEL("kernel"),
    /** PKKD: the kernel transforms, then the 1x1 convolutions rho (Eq. 11-13). */
    PKKD("pkkd"),
    /** Neuron selectivity transfer (Huang and Wang 2017): MMD of the channels' normalised maps, polynomial kernel. */
    MMD("mmd");

    public final String id;

    FeatureLoss(String id) {
        this.id = id;
    }

    public static FeatureLoss parse(String s) {
        for (FeatureLoss f : values()) if (f.id.equals(s)) return f;
        throw new IllegalArgumentException("--feature-loss must be one of " + Arrays.stream(values()).map(f -> f.id).toList() + ", got '" + s + "'");
    }

    boolean kernel() {
        return this == KERNEL || this == PKKD;
    }

    boolean projection() {
        return this == CONV1X1 || this == PKKD;
    }
}
