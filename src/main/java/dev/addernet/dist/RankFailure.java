package dev.addernet.dist;

/**
 * A data-parallel run cannot go on: a rank died, a connection dropped or timed out, or the ranks disagree
 * about what they are summing. The epoch ends here and writes nothing; the run continues from its last
 * checkpoint with {@code --resume}.
 */
public final class RankFailure extends RuntimeException {
    public RankFailure(String message) {
        super(message);
    }

    public RankFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
