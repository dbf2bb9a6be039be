package dev.addernet.train;

/** The loss became NaN or infinite; the last good checkpoint is kept. */
public final class TrainingDiverged extends RuntimeException {
    public TrainingDiverged(String message) {
        super(message);
    }
}
