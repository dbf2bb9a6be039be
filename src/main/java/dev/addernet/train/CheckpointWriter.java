package dev.addernet.train;

import java.io.IOException;

/** Writes the checkpoint that {@code --resume} continues from after every epoch (atomically). */
public final class CheckpointWriter implements TrainingListener {
    @Override
    public void epochEnded(EpochEnd end) throws IOException {
        end.progress().save(end.run().checkpoint(), end.network(), end.method().state(), end.optimiser());
    }
}
