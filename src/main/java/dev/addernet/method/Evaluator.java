package dev.addernet.method;

import dev.addernet.nn.Module;

/** Scores a module on the run's test set (eval mode, the run's transforms), for a method's own epoch values. */
@FunctionalInterface
public interface Evaluator {
    /** Test accuracy (a fraction) and mean cross-entropy. */
    record Score(double accuracy, double loss) {}

    Score test(Module model);
}
