package dev.addernet.train;

import dev.addernet.method.TrainingMethod;
import dev.addernet.nn.Module;
import dev.addernet.optim.Sgd;
import java.util.List;

/**
 * The state of a run after an epoch, as listeners see it.
 *
 * @param history  every finished epoch, this one last
 * @param progress what a checkpoint written now records
 */
public record EpochEnd(RunFolder run, List<EpochMetrics> history, Module network, TrainingMethod method, Sgd optimiser,
                       Checkpoint progress) {}
