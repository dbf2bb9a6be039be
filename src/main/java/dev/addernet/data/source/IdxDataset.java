package dev.addernet.data.source;

import dev.addernet.data.DatasetSplits;
import dev.addernet.data.DataException;
import dev.addernet.data.Normalization;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A dataset in the MNIST layout: four IDX files, each optionally gzipped
 * ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
 * {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}).
 *
 * @param name registry name, also used for the sets' names
 * @param systemDirs folders where an OS package installs the files, searched in order
 * @param baseUrl canonical download address; file URLs are this plus {@code <file>.gz}
 * @param md5 expected MD5 of each downloaded {@code .gz} file, keyed by file name without {@code .gz}
 * @param aptPackage Debian package that installs the files, or null if there is none
 */
record IdxDataset(String name, List<String> classNames, Normalization norm, List<Path> systemDirs,
        URI baseUrl, Map<String, String> md5, String aptPackage) implements DatasetSource {

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    static final IdxDataset FASHION_MNIST = new IdxDataset("fashion-mnist",
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            Normalization.FASHION_MNIST,
            List.of(Path.of("/usr/share/datasets/fashion-mnist")),
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            Map.of(TRAIN_IMAGES, "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                    TRAIN_LABELS, "25c81989df183df01b3e8a0aad5dffbe",
                    TEST_IMAGES, "bef4ecab320f06d8554ea6380940ec79",
                    TEST_LABELS, "bb300cfdad3c16e7a12a480ee83cd310"),
            "dataset-fashion-mnist");

    static final IdxDataset MNIST = new IdxDataset("mnist",
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            Normalization.MNIST,
            List.of(Path.of("/usr/share/datasets/mnist")),
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            Map.of(TRAIN_IMAGES, "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                    TRAIN_LABELS, "d53e105ee54ea40749a09fcbcd1e9432",
                    TEST_IMAGES, "9fb629c4189551a2d022fa330f9573f3",
                    TEST_LABELS, "ec29112dd5afa0611ce80d1b7f02629c"),
            null);

    IdxDataset {
        classNames = List.copyOf(classNames);
        systemDirs = List.copyOf(systemDirs);
        md5 = Map.copyOf(md5);
    }

    @Override
    public DatasetSplits load(Path dataDir, Path cacheDir) {
        Path dir;
        if (dataDir != null) {
            List<String> missing = missing(dataDir);
            if (!missing.isEmpty()) {
                String problem = Files.isDirectory(dataDir)
                        ? " lacks " + String.join(", ", missing)
                        : " does not exist (expected a directory holding " + String.join(", ", missing) + ")";
                throw new DataException(name + ": --data-dir " + dataDir + problem + "; " + hint(cacheDir));
            }
            dir = dataDir;
        } else {
            dir = systemDirs.stream().filter(d -> missing(d).isEmpty()).findFirst()
                    .orElseGet(() -> fetchIntoCache(cacheDir));
        }
        return new DatasetSplits(
                Idx.read(name + "/train", find(dir, TRAIN_IMAGES), find(dir, TRAIN_LABELS), classNames),
                Idx.read(name + "/test", find(dir, TEST_IMAGES), find(dir, TEST_LABELS), classNames),
                norm);
    }

    /** The cache, after downloading whichever files it lacks. */
    private Path fetchIntoCache(Path cacheDir) {
        for (String file : FILES) {
            if (find(cacheDir, file) == null) {
                URI url = baseUrl.resolve(file + ".gz");
                try {
                    Download.fetch(url, cacheDir.resolve(file + ".gz"), md5.get(file));
                } catch (Exception e) {
                    String searched = systemDirs.stream().map(Path::toString).collect(Collectors.joining(", "));
                    throw new DataException(name + ": not found in " + (searched.isEmpty() ? "" : searched + " or ")
                            + cacheDir + ", and downloading " + url + " failed (" + Download.describe(e) + "); "
                            + hint(cacheDir), e);
                }
            }
        }
        return cacheDir;
    }

    /** What the user can do to make the dataset available. */
    private String hint(Path cacheDir) {
        String files = FILES.stream().map(f -> f + ".gz").collect(Collectors.joining(", "));
        if (aptPackage != null) {
            return "install it with `sudo apt-get install " + aptPackage + "`, or pass --data-dir DIR with the"
                    + " four IDX files (" + files + ")";
        }
        String urls = FILES.stream().map(f -> baseUrl.resolve(f + ".gz").toString())
                .collect(Collectors.joining(" "));
        return "download " + urls + " into " + cacheDir + ", or pass --data-dir DIR with those four files";
    }

    /** The files of the dataset that {@code dir} lacks, as {@code name[.gz]}. */
    private static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String file : FILES) {
            if (find(dir, file) == null) {
                missing.add(file + "[.gz]");
            }
        }
        return missing;
    }

    /** {@code dir/file.gz} or {@code dir/file}, whichever exists (gzipped first), or null. */
    private static Path find(Path dir, String file) {
        for (Path candidate : List.of(dir.resolve(file + ".gz"), dir.resolve(file))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
