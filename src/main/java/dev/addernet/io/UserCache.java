package dev.addernet.io;

import java.nio.file.Path;

/** addernet's per-user cache folder, following the XDG base directory convention: downloaded datasets, the tuning file. */
public final class UserCache {
    private UserCache() {}

    /** {@code $XDG_CACHE_HOME/addernet} when that is an absolute path, else {@code ~/.cache/addernet}. */
    public static Path root() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("addernet");
    }
}
