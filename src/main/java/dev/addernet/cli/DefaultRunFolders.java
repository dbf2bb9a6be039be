package dev.addernet.cli;

import dev.addernet.train.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run folders {@code train} uses when {@code --out} is not given: {@code base}, then {@code base-2},
 * {@code base-3}, ... A new run takes the first that holds no run, so the README's main job can be run
 * again; {@code --resume} takes the one before it, the latest run.
 */
final class DefaultRunFolders {
    private DefaultRunFolders() {}

    /** The folder for a new run: the first of the sequence without a config.json. */
    static Path next(Path base) {
        int n = 1;
        while (holdsRun(folder(base, n))) n++;
        return folder(base, n);
    }

    /** The latest run of the sequence (the folder before {@link #next}), or null when there is none. */
    static Path latest(Path base) {
        Path latest = null;
        for (int n = 1; holdsRun(folder(base, n)); n++) latest = folder(base, n);
        return latest;
    }

    /** A run started there: its config.json is written before the first epoch. */
    private static boolean holdsRun(Path dir) {
        return Files.exists(new RunFolder(dir).config());
    }

    /** Folder n of the sequence: base itself for n = 1. */
    private static Path folder(Path base, int n) {
        return n == 1 ? base : base.resolveSibling(base.getFileName() + "-" + n);
    }
}
