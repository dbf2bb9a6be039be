package dev.addernet.models;

import dev.addernet.models.heads.ClassifierHead;
import dev.addernet.models.heads.GaussianMixtureHead;
import dev.addernet.models.heads.LSoftmaxHead;
import dev.addernet.models.heads.SkewLaplaceHead;
import dev.addernet.tensor.Rng;
import java.util.List;

/**
 * The classifier heads a network can end in, built where every model builds its classifier
 * ({@code FilterUnit.classifier}) and recorded in the weights file's configuration, so that every command
 * rebuilds the head from the file alone. {@code linear} is each model's own last layer; the others replace
 * it (and its BatchNorm over the logits) by a module named {@code head} on the last layer's input:
 * {@code slac} and {@code sl} the skew Laplace mixture (SLAC, with and without its angle-based
 * constraint), {@code lsoftmax} L-Softmax, {@code lgm} the large-margin Gaussian mixture, {@code mom} the
 * mixture of two-Gaussian mixtures (SLAC's Table 3).
 */
public final class Heads {
    public static final String LINEAR = "linear";
    public static final List<String> NAMES = List.of(LINEAR, "slac", "sl", "lsoftmax", "lgm", "mom");

    private Heads() {}

    /** Refuses a head that does not exist, listing those that do. */
    public static void check(String head) {
        if (!NAMES.contains(head)) throw new IllegalArgumentException("unknown head '" + head + "': expected one of " + NAMES);
    }

    /** A head other than {@code linear} on {@code features} inputs. */
    static ClassifierHead build(String head, int features, int classes, Rng rng) {
        return switch (head) {
            case "slac", "sl" -> new SkewLaplaceHead(head, features, classes, rng);
            case "lsoftmax" -> new LSoftmaxHead(features, classes, rng);
            case "lgm" -> new GaussianMixtureHead(head, 1, features, classes, rng);
            case "mom" -> new GaussianMixtureHead(head, 2, features, classes, rng);
            default -> throw new IllegalArgumentException("unknown head '" + head + "': expected one of " + NAMES);
        };
    }
}
