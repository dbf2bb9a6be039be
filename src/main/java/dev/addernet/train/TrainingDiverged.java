package dev.addernet.train;

/** The loss, the test loss, a weight or a momentum buffer became NaN or infinite; the last good checkpoint is kept. */
public final class TrainingDiverged extends RuntimeException {
    public TrainingDiverged(String message) {
        super(message);
    }
}
