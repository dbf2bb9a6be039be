package dev.addernet.data.source;

import dev.addernet.data.DatasetSplits;
import dev.addernet.data.DataException;
import dev.addernet.data.Normalization;
import dev.addernet.data.ImageSet;
import dev.addernet.data.transform.SampleTransform;
import dev.addernet.data.transform.Transforms;
import dev.addernet.io.HeapLimit;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * CIFAR-10 and CIFAR-100 in their binary distributions (Krizhevsky 2009).
 *
 * <ul>
 *   <li>CIFAR-10: {@code data_batch_1.bin} .. {@code data_batch_5.bin} (training) and
 *       {@code test_batch.bin}; each record is 1 label byte and 3,072 pixel bytes: the 32x32 red
 *       plane, then green, then blue, rows top to bottom. Class names from {@code batches.meta.txt}
 *       (one per line) when present, else the official ten.</li>
 *   <li>CIFAR-100: {@code train.bin} and {@code test.bin}; each record is a coarse label byte (20
 *       superclasses), a fine label byte (100 classes) and the same 3,072 pixel bytes. The fine labels
 *       are used ({@code cifar100}), or the coarse ones ({@code cifar100-coarse}); names from
 *       {@code fine_label_names.txt} / {@code coarse_label_names.txt} when present, else "0", "1", ...</li>
 * </ul>
 *
 * <p>The files are looked for in {@code --data-dir} or in its subfolder as the archive unpacks it
 * ({@code cifar-10-batches-bin/}, {@code cifar-100-binary/}); without {@code --data-dir}, in the
 * user cache, where the canonical archive is downloaded, its MD5 checked, and extracted. The pixel
 * layout is already C x H x W, so records are copied as they are into an {@link ImageSet}.
 *
 * @param name registry name
 * @param hundred CIFAR-100 rather than CIFAR-10
 * @param coarse for CIFAR-100, label by the 20 superclasses rather than the 100 classes
 * @param url canonical address of the {@code .tar.gz} archive
 * @param md5 expected MD5 of the archive
 */
record CifarBinary(String name, boolean hundred, boolean coarse, URI url, String md5) implements DatasetSource {

    private static final int PIXELS = 3 * 32 * 32;

    static final List<String> CIFAR10_CLASSES = ImageFolderDataset.CIFAR10_CLASSES;

    static final CifarBinary CIFAR10 = new CifarBinary("cifar10", false, false,
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), "c32a1d4ab5d03f1284b67883e8d87530");
    static final CifarBinary CIFAR100 = new CifarBinary("cifar100", true, false,
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"), "03b5dce01913d631647c71ecec9e9cb8");
    static final CifarBinary CIFAR100_COARSE = new CifarBinary("cifar100-coarse", true, true,
            CIFAR100.url, CIFAR100.md5);

    CifarBinary {
        if (coarse && !hundred) {
            throw new IllegalArgumentException("coarse labels exist only in CIFAR-100");
        }
    }

    /** The training files, in reading order. */
    List<String> trainFiles() {
        return hundred ? List.of("train.bin")
                : IntStream.rangeClosed(1, 5).mapToObj(i -> "data_batch_" + i + ".bin").toList();
    }

    String testFile() {
        return hundred ? "test.bin" : "test_batch.bin";
    }

    /** The folder the archive unpacks to. */
    String archiveFolder() {
        return hundred ? "cifar-100-binary" : "cifar-10-batches-bin";
    }

    /** Cache folder name: both CIFAR-100 labelings share one download. */
    String cacheName() {
        return hundred ? "cifar100" : "cifar10";
    }

    int numClasses() {
        return !hundred ? 10 : coarse ? 20 : 100;
    }

    /** Bytes per record: the label byte(s) and the pixels. */
    int recordSize() {
        return (hundred ? 2 : 1) + PIXELS;
    }

    String namesFile() {
        return !hundred ? "batches.meta.txt" : coarse ? "coarse_label_names.txt" : "fine_label_names.txt";
    }

    /**
     * Reads the dataset from {@code dataDir}, or else from the cache folder {@code cifar10} or
     * {@code cifar100} beside {@code cacheDir} (so that both CIFAR-100 labelings share one download),
     * downloading it there when absent.
     */
    @Override
    public DatasetSplits load(Path dataDir, Path cacheDir) {
        Path dir;
        if (dataDir != null) {
            dir = locate(dataDir);
            if (dir == null) {
                String problem = Files.isDirectory(dataDir)
                        ? " lacks " + String.join(", ", missing(dataDir)) + " (also looked in "
                                + dataDir.resolve(archiveFolder()) + ")"
                        : " does not exist";
                throw new DataException(name + ": --data-dir " + dataDir + problem + "; " + hint());
            }
        } else {
            Path cache = cacheDir.resolveSibling(cacheName());
            dir = locate(cache);
            if (dir == null) {
                dir = fetchIntoCache(cache);
            }
        }
        List<String> classes = classNames(dir);
        List<Path> train = trainFiles().stream().map(dir::resolve).toList();
        return new DatasetSplits(read(name + "/train", train, classes),
                read(name + "/test", List.of(dir.resolve(testFile())), classes),
                Normalization.CIFAR, Transforms.cifarTrain(), SampleTransform.identity());
    }

    /**
     * Reads records from the given files into one set.
     *
     * @throws DataException naming the file if it is missing, not a whole number of records, or has a
     *     label out of range
     */
    ImageSet read(String setName, List<Path> files, List<String> classes) {
        long total = 0;
        for (Path file : files) {
            total += records(file);
        }
        if (total * PIXELS > Integer.MAX_VALUE - 8) {
            throw new DataException(setName + ": " + total + " images do not fit in one array");
        }
        byte[] pixels;
        int[] labels;
        try {
            pixels = new byte[(int) total * PIXELS];
            labels = new int[(int) total];
        } catch (OutOfMemoryError e) {
            throw new DataException(HeapLimit.message(setName, "holding " + total + " images", total * (PIXELS + 4)));
        }
        byte[] record = new byte[recordSize()];
        int labelBytes = recordSize() - PIXELS;
        int n = 0;
        for (Path file : files) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
                long count = records(file);
                for (long r = 0; r < count; r++, n++) {
                    if (in.readNBytes(record, 0, record.length) < record.length) {
                        throw new DataException(file + ": ends inside record " + r + ", expected " + count
                                + " records of " + record.length + " bytes (was it changed while being read?)");
                    }
                    labels[n] = label(file, r, record);
                    System.arraycopy(record, labelBytes, pixels, n * PIXELS, PIXELS);
                }
            } catch (IOException e) {
                throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
            }
        }
        return ImageSet.wrap(setName, pixels, labels, 3, 32, 32, classes);
    }

    /** The number of records in {@code file}, after checking that its size is a whole number of them. */
    private long records(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + (Files.exists(file) ? e.getMessage() : "file does not exist")
                    + "), expected a " + name + " binary batch file", e);
        }
        if (size == 0 || size % recordSize() != 0) {
            throw new DataException(file + ": " + size + " bytes, expected a non-zero multiple of " + recordSize()
                    + " (records of " + (hundred ? "a coarse and a fine label byte" : "1 label byte")
                    + " and 3072 pixel bytes)");
        }
        return size / recordSize();
    }

    /** The label of a record, after checking every label byte it has. */
    private int label(Path file, long record, byte[] bytes) {
        if (!hundred) {
            return checked(file, record, "label byte", bytes[0] & 0xFF, 10);
        }
        int coarseLabel = checked(file, record, "coarse label (byte 0)", bytes[0] & 0xFF, 20);
        int fineLabel = checked(file, record, "fine label (byte 1)", bytes[1] & 0xFF, 100);
        return coarse ? coarseLabel : fineLabel;
    }

    private static int checked(Path file, long record, String field, int value, int classes) {
        if (value >= classes) {
            throw new DataException(file + ": record " + record + " has " + field + " " + value
                    + ", expected [0," + classes + ")");
        }
        return value;
    }

    /** The names from the names file when present (one per non-blank line), else the defaults. */
    List<String> classNames(Path dir) {
        Path file = dir.resolve(namesFile());
        if (!Files.isRegularFile(file)) {
            return !hundred ? CIFAR10_CLASSES
                    : IntStream.range(0, numClasses()).mapToObj(Integer::toString).toList();
        }
        List<String> names;
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            names = lines.map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataException(file + ": cannot read class names (" + e.getMessage() + ")", e);
        }
        if (names.size() != numClasses()) {
            throw new DataException(file + ": " + names.size() + " class names, expected " + numClasses()
                    + " (one per line)");
        }
        return names;
    }

    /** {@code dir} or its archive subfolder, whichever holds every data file, or null. */
    private Path locate(Path dir) {
        for (Path candidate : List.of(dir, dir.resolve(archiveFolder()))) {
            if (missing(candidate).isEmpty()) {
                return candidate;
            }
        }
        return null;
    }

    /** The data files that {@code dir} lacks. */
    private List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String file : allFiles()) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                missing.add(file);
            }
        }
        return missing;
    }

    private List<String> allFiles() {
        List<String> all = new ArrayList<>(trainFiles());
        all.add(testFile());
        return all;
    }

    /** Downloads and unpacks the archive into {@code cache}; returns the folder holding the files. */
    private Path fetchIntoCache(Path cache) {
        String fileName = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
        Path archive = cache.resolve(fileName);
        try {
            Download.fetch(url, archive, md5);
        } catch (Exception e) {
            throw new DataException(name + ": not found in " + cache + ", and downloading " + url + " failed ("
                    + Download.describe(e) + "); " + hint(), e);
        }
        Path target = cache.resolve(archiveFolder());
        try {
            // unpack beside the target and move it into place, so a crash never leaves half a dataset
            Path temp = Files.createTempDirectory(cache, "extract-");
            try {
                TarGz.extract(archive, temp);
                Path extracted = temp.resolve(archiveFolder());
                List<String> lacking = missing(extracted);
                if (!lacking.isEmpty()) {
                    throw new DataException(archive + ": the archive lacks " + archiveFolder() + "/"
                            + String.join(", " + archiveFolder() + "/", lacking) + "; " + hint());
                }
                deleteTree(target);
                Files.move(extracted, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteTree(temp);
            }
            Files.delete(archive);
        } catch (IOException e) {
            throw new DataException(name + ": cannot unpack " + archive + " into " + cache + " ("
                    + Download.describe(e) + "); " + hint(), e);
        }
        return target;
    }

    /** What the user can do to make the dataset available. */
    private String hint() {
        return "download " + url + " (MD5 " + md5 + "), unpack it, and pass --data-dir DIR with the "
                + archiveFolder() + " folder or the folder holding " + String.join(", ", allFiles());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
