package dev.addernet.models;

import java.util.List;

/**
 * The classifier heads a network can end in, built where every model builds its classifier
 * ({@code FilterUnit.classifier}) and recorded in the weights file's configuration, so that every command
 * rebuilds the head from the file alone. {@code linear} is each model's own last layer.
 */
public final class Heads {
    public static final String LINEAR = "linear";
    public static final List<String> NAMES = List.of(LINEAR);

    private Heads() {}

    /** Refuses a head that does not exist, listing those that do. */
    public static void check(String head) {
        if (!NAMES.contains(head)) throw new IllegalArgumentException("unknown head '" + head + "': expected one of " + NAMES);
    }
}
