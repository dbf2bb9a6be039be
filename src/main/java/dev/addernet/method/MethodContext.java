package dev.addernet.method;

import dev.addernet.kernel.AdderOptions;
import dev.addernet.models.ModelConfig;

/**
 * What a method is built for.
 *
 * @param network      the network's configuration as the command line chose it
 * @param adderOptions the adder layers' options outside any method (weight-gradient ablation)
 * @param epochs       the run's length in epochs
 * @param seed         the run's seed (a method derives its own random streams from it)
 */
public record MethodContext(ModelConfig network, AdderOptions adderOptions, int epochs, long seed) {}
