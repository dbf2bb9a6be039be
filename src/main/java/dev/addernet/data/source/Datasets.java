package dev.addernet.data.source;

import dev.addernet.data.DatasetSplits;
import dev.addernet.data.DataException;
import dev.addernet.data.source.CifarBinary;
import dev.addernet.data.source.IdxDataset;
import dev.addernet.data.source.ImageFolderDataset;
import dev.addernet.data.source.DatasetSource;
import dev.addernet.io.UserCache;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of datasets known by name (e.g. {@code --dataset fashion-mnist}).
 *
 * <table>
 *   <caption>Datasets, their normalisation and transforms</caption>
 *   <tr><th>name</th><th>files</th><th>normalisation</th><th>train / eval transform</th></tr>
 *   <tr><td>fashion-mnist, mnist</td><td>IDX ({@link IdxDataset})</td><td>their own</td><td>none / none</td></tr>
 *   <tr><td>cifar10, cifar100, cifar100-coarse</td><td>CIFAR binary ({@link CifarBinary})</td>
 *       <td>CIFAR</td><td>random crop 32 with padding 4 + flip / none</td></tr>
 *   <tr><td>cifar10-jpeg</td><td>32x32 image folders, in memory ({@link ImageFolderDataset})</td>
 *       <td>CIFAR</td><td>as CIFAR</td></tr>
 *   <tr><td>imagenet</td><td>image folders, decoded lazily</td><td>ImageNet</td>
 *       <td>random resized crop 224 + flip / resize 256, centre crop 224</td></tr>
 *   <tr><td>imagefolder</td><td>image folders</td><td colspan="2">as cifar10-jpeg if the first training image
 *       is 32x32, else as imagenet</td></tr>
 * </table>
 *
 * <p>A dataset is looked for in the directory given by {@code --data-dir}, if any; otherwise in its
 * Debian package folder under {@code /usr/share/datasets}, then in the user cache
 * ({@code $XDG_CACHE_HOME/addernet/<name>} or {@code ~/.cache/addernet/<name>}), downloading it there
 * if possible. When all of that fails the error says how to install the dataset.
 */
public final class Datasets {

    private static final Map<String, DatasetSource> SOURCES = new LinkedHashMap<>();

    static {
        SOURCES.put("fashion-mnist", IdxDataset.FASHION_MNIST);
        SOURCES.put("mnist", IdxDataset.MNIST);
        SOURCES.put("cifar10", CifarBinary.CIFAR10);
        SOURCES.put("cifar100", CifarBinary.CIFAR100);
        SOURCES.put("cifar100-coarse", CifarBinary.CIFAR100_COARSE);
        SOURCES.put("cifar10-jpeg", ImageFolderDataset.CIFAR10_JPEG);
        SOURCES.put("imagefolder", ImageFolderDataset.IMAGEFOLDER);
        SOURCES.put("imagenet", ImageFolderDataset.IMAGENET);
    }

    private Datasets() {}

    /** Names of the known datasets, in a stable order. */
    /** Refuses a name that is not a dataset, listing those that are (before anything is downloaded). */
    public static void requireKnown(String name) {
        if (!SOURCES.containsKey(name)) {
            throw new DataException("unknown dataset '" + name + "', expected one of: " + String.join(", ", names()));
        }
    }

    public static List<String> names() {
        return List.copyOf(SOURCES.keySet());
    }

    /**
     * Finds (downloading if needed) and reads the dataset called {@code name}.
     *
     * @param dataDirOrNull directory holding the dataset's files, or null to search the usual places
     * @throws DataException if the name is unknown, the files cannot be found or fetched, or they are
     *     malformed; the message says what to do
     */
    public static DatasetSplits resolve(String name, Path dataDirOrNull) {
        DatasetSource source = SOURCES.get(name);
        if (source == null) {
            throw new DataException("unknown dataset '" + name + "', expected one of: " + String.join(", ", names()));
        }
        return source.load(dataDirOrNull, UserCache.root().resolve(name));
    }
}
