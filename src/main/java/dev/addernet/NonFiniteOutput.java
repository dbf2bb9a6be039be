package dev.addernet;

/**
 * A network produced NaN or infinite outputs (logits or loss), so no prediction or accuracy computed from
 * them means anything. The message names the weights file and says which value; it is shown as one line.
 */
public final class NonFiniteOutput extends RuntimeException {
    public NonFiniteOutput(String message) {
        super(message);
    }
}
