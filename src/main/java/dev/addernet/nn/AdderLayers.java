package dev.addernet.nn;

import dev.addernet.kernel.AdderOptions;

/** Configures every adder layer of a network at once (the Lp schedule, the gradient ablation). */
public final class AdderLayers {
    private AdderLayers() {}

    public static void configure(Module root, AdderOptions options) {
        if (root instanceof FilterLayer f) f.setAdderOptions(options);
        root.children().values().forEach(child -> configure(child, options));
    }
}
