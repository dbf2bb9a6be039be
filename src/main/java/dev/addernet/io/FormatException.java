package dev.addernet.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file whose content does not follow its format. The message starts with the file, so it can be shown
 * to a user as is: {@code model.safetensors: tensor 'w': unknown dtype 'F31'}. It is one line: control
 * characters quoted from the file are escaped ({@link OneLine}).
 */
public final class FormatException extends IOException {

    public FormatException(Path file, String message) {
        super(OneLine.of(file + ": " + message));
    }

    public FormatException(Path file, String message, Throwable cause) {
        super(OneLine.of(file + ": " + message), cause);
    }
}
