package dev.addernet.data.source;

import dev.addernet.data.Sample;
import dev.addernet.data.DatasetSplits;
import dev.addernet.data.DataException;
import dev.addernet.data.Normalization;
import dev.addernet.data.transform.SampleTransform;
import dev.addernet.data.transform.Transforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Datasets stored as image folder trees, {@code <dir>/train/<class>/<image>} and
 * {@code <dir>/test/<class>/<image>} ({@code val/} is accepted for {@code test/}, as ImageNet names
 * it); see {@link ImageFolder} for the layout. Three kinds:
 *
 * <ul>
 *   <li>{@code cifar10-jpeg}: CIFAR-10 as 32x32 RGB JPEG or PNG files under folders named after its
 *       ten classes (checked, as are the size and colour of every image); decoded into memory at
 *       load; CIFAR normalisation and augmentation, no resizing.</li>
 *   <li>{@code imagenet}: read lazily, images decoded by the loader's threads; ImageNet
 *       normalisation; training {@code RandomResizedCrop(224)} and flip, evaluation resize to 256 and
 *       centre crop 224.</li>
 *   <li>{@code imagefolder}: any such tree. If its first training image is 32x32 the set is taken to
 *       be CIFAR-like: every image must be 32x32, all are decoded into memory, with CIFAR's
 *       normalisation and augmentation. Otherwise it is treated as ImageNet-like, with ImageNet's
 *       lazy reading, normalisation and transforms.</li>
 * </ul>
 *
 * <p>The tree is found in {@code --data-dir}, else in the dataset's cache folder; these sets are
 * never downloaded.
 */
record ImageFolderDataset(String name, Kind kind) implements DatasetSource {

    /** How the tree is read and which conventions apply. */
    enum Kind { CIFAR10_JPEG, IMAGENET, ANY }

    /** The CIFAR-10 classes in label order, which is also their sorted order as folder names. */
    static final List<String> CIFAR10_CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    static final ImageFolderDataset CIFAR10_JPEG = new ImageFolderDataset("cifar10-jpeg", Kind.CIFAR10_JPEG);
    static final ImageFolderDataset IMAGENET = new ImageFolderDataset("imagenet", Kind.IMAGENET);
    static final ImageFolderDataset IMAGEFOLDER = new ImageFolderDataset("imagefolder", Kind.ANY);

    @Override
    public DatasetSplits load(Path dataDir, Path cacheDir) {
        Path root = root(dataDir, cacheDir);
        Path trainDir = root.resolve("train");
        Path testDir = Files.isDirectory(root.resolve("test")) ? root.resolve("test") : root.resolve("val");
        if (!Files.isDirectory(trainDir) || !Files.isDirectory(testDir)) {
            throw new DataException(name + ": " + root + " lacks " + (Files.isDirectory(trainDir) ? "" : "train/ and ")
                    + "test/ (or val/), expected " + layout(root));
        }
        ImageFolder train = ImageFolder.scan(name + "/train", trainDir);
        if (kind == Kind.CIFAR10_JPEG && !train.classNames().equals(CIFAR10_CLASSES)) {
            throw new DataException(name + ": " + trainDir + " has class folders " + String.join(", ", train.classNames())
                    + ", expected exactly the CIFAR-10 classes " + String.join(", ", CIFAR10_CLASSES));
        }
        ImageFolder test = ImageFolder.scan(name + "/test", testDir, train.classNames());
        boolean small = switch (kind) {
            case CIFAR10_JPEG -> true;
            case IMAGENET -> false;
            case ANY -> {
                Sample first = train.sample(0);
                yield first.height() == 32 && first.width() == 32;
            }
        };
        if (!small) {
            return new DatasetSplits(train, test, Normalization.IMAGENET,
                    Transforms.imagenetTrain(), Transforms.imagenetEval());
        }
        boolean rgb = kind == Kind.CIFAR10_JPEG;
        return new DatasetSplits(train.toImageSet(32, 32, rgb, System.err), test.toImageSet(32, 32, rgb, System.err),
                Normalization.CIFAR, Transforms.cifarTrain(), SampleTransform.identity());
    }

    /** The folder given by --data-dir, else the cache folder if it exists. */
    private Path root(Path dataDir, Path cacheDir) {
        if (dataDir != null) {
            if (!Files.isDirectory(dataDir)) {
                throw new DataException(name + ": --data-dir " + dataDir + " does not exist, expected " + layout(dataDir));
            }
            return dataDir;
        }
        if (Files.isDirectory(cacheDir)) {
            return cacheDir;
        }
        throw new DataException(name + ": no --data-dir given and " + cacheDir + " does not exist; this dataset"
                + " is not downloaded automatically: pass --data-dir DIR with " + layout(Path.of("DIR")));
    }

    private String layout(Path dir) {
        String example = kind == Kind.CIFAR10_JPEG ? "airplane/0000.jpg" : "<class>/<image>.jpg";
        String classes = kind == Kind.CIFAR10_JPEG
                ? " with one folder per CIFAR-10 class (" + String.join(", ", CIFAR10_CLASSES) + ") of 32x32 RGB images"
                : "";
        return dir.resolve("train") + "/" + example + " and " + dir.resolve("test") + "/" + example
                + " (or val/)" + classes;
    }
}
