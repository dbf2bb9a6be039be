package dev.addernet.data;

import dev.addernet.io.OneLine;

/**
 * A problem with input data or its location: a malformed file, a missing dataset, a failed download.
 *
 * <p>The message is shown to the user as a single line, so it is self-contained: it names the file
 * (or dataset), what was wrong and what was expected.
 */
public class DataException extends RuntimeException {

    public DataException(String message) {
        super(OneLine.of(message));
    }

    public DataException(String message, Throwable cause) {
        super(OneLine.of(message), cause);
    }
}
