package dev.addernet.data.source;

import dev.addernet.data.DatasetSplits;
import java.nio.file.Path;

/**
 * How one known dataset is found and read; an entry of the {@link Datasets} registry. A new format
 * (CIFAR binary, image folders) is a new implementation plus one registry line.
 */
interface DatasetSource {

    /**
     * Locates and reads the dataset.
     *
     * @param dataDir directory the user named with {@code --data-dir}, or null to search the usual places
     * @param cacheDir this dataset's per-user cache directory, where downloads go
     */
    DatasetSplits load(Path dataDir, Path cacheDir);
}
