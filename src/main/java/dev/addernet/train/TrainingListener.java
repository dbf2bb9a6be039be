package dev.addernet.train;

import java.io.IOException;
import java.util.List;

/**
 * Something the command line attaches to a training run: the metrics log, the checkpoint, the curves plot.
 * A listener that throws ends the run; what earlier listeners of the epoch wrote stays.
 */
public interface TrainingListener {
    /** Before the first epoch of this invocation; {@code history} holds the epochs already done (on --resume). */
    default void started(RunFolder run, List<EpochMetrics> history) throws IOException {}

    /** After each epoch, once its metrics are final and the weights it keeps are written. */
    default void epochEnded(EpochEnd end) throws IOException {}
}
