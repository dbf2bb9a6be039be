package dev.addernet.data.source;

import dev.addernet.data.Sample;
import dev.addernet.data.DataException;
import dev.addernet.data.LabelledImages;
import dev.addernet.data.ImageSet;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Images in a folder tree {@code <root>/<class>/<image>}, torchvision's {@code ImageFolder} layout:
 * one subfolder per class, classes numbered in the sorted order of their folder names, images (JPEG
 * or PNG, by extension {@code .jpg}, {@code .jpeg} or {@code .png} in any case, in subfolders too)
 * in the sorted order of their paths. Other files are ignored.
 *
 * <p>The set holds only file names: each image is read and decoded when {@link #sample(int)} asks for
 * it, on the loader's decoding threads, so a set the size of ImageNet costs no pixel memory. Images
 * may differ in size ({@link #height()} is 0); a transform must bring them to one size. Small sets
 * can instead be decoded once, on several threads, into an {@link ImageSet} with
 * {@link #toImageSet}.
 */
public final class ImageFolder implements LabelledImages {

    private final String name;
    private final List<String> classNames;
    /** Folder of each class, indexed by label. */
    private final Path[] classDirs;
    /** Path of each image relative to its class folder. */
    private final String[] files;
    private final int[] labels;

    private ImageFolder(String name, List<String> classNames, Path[] classDirs, String[] files, int[] labels) {
        this.name = name;
        this.classNames = classNames;
        this.classDirs = classDirs;
        this.files = files;
        this.labels = labels;
    }

    /**
     * Lists the tree under {@code root}, with classes named by its sorted subfolders.
     *
     * @throws DataException if {@code root} does not exist, has no class folder, or a class folder
     *     has no image
     */
    public static ImageFolder scan(String name, Path root) {
        return scan(name, root, null);
    }

    /**
     * Lists the tree under {@code root}, numbering classes as in {@code classNames} (those of the
     * training split, so that a test split lacking some classes keeps the same labels).
     *
     * @param classNames the class list, or null to take the sorted subfolders of {@code root}
     * @throws DataException if {@code root} does not exist or has no class folder, if a class folder has
     *     no image (when the classes come from the folders), or if a folder is not in {@code classNames}
     */
    public static ImageFolder scan(String name, Path root, List<String> classNames) {
        List<String> folders = classFolders(root);
        if (folders.isEmpty()) {
            throw new DataException(name + ": " + root + " has no class folders, expected one subfolder per class"
                    + " holding that class's images (" + root + "/<class>/<image>.jpg)");
        }
        List<String> classes = classNames == null ? folders : List.copyOf(classNames);
        Path[] dirs = new Path[classes.size()];
        List<String> fileList = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        for (String folder : folders) {
            int label = classes.indexOf(folder);
            if (label < 0) {
                throw new DataException(name + ": class folder " + root.resolve(folder) + " is not one of the "
                        + classes.size() + " training classes, expected one of: " + String.join(", ", classes));
            }
            dirs[label] = root.resolve(folder);
            List<String> images = images(dirs[label]);
            if (images.isEmpty() && classNames == null) {
                throw new DataException(name + ": class folder " + dirs[label]
                        + " holds no image, expected .jpg, .jpeg or .png files");
            }
            for (String image : images) {
                fileList.add(image);
                labelList.add(label);
            }
        }
        return new ImageFolder(name, classes, dirs, fileList.toArray(String[]::new),
                labelList.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The sorted names of the subfolders of {@code root} (hidden ones excluded). */
    static List<String> classFolders(Path root) {
        if (!Files.isDirectory(root)) {
            throw new DataException(root + " does not exist or is not a folder, expected a folder with one"
                    + " subfolder per class");
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DataException(root + ": cannot list folder (" + e.getMessage() + ")", e);
        }
    }

    /** Image files under {@code dir}, as sorted paths relative to it. */
    private static List<String> images(Path dir) {
        try (Stream<Path> entries = Files.walk(dir)) {
            return entries.filter(ImageFolder::isImage)
                    .filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new DataException(dir + ": cannot list folder (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isImage(Path path) {
        String file = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return !file.startsWith(".") && (file.endsWith(".jpg") || file.endsWith(".jpeg") || file.endsWith(".png"));
    }

    /** The file of image {@code index}. */
    public Path file(int index) {
        return classDirs[labels[index]].resolve(files[index]);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    /** Reads and decodes image {@code index} (as RGB, whatever the file's colour type). */
    @Override
    public Sample sample(int index) {
        return ImageDecoder.decode(file(index)).toSample();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** Always 3: images are converted to RGB. */
    @Override
    public int channels() {
        return 3;
    }

    /** 0: the images are not decoded ahead, so their sizes are unknown and may differ. */
    @Override
    public int height() {
        return 0;
    }

    /** 0: the images are not decoded ahead, so their sizes are unknown and may differ. */
    @Override
    public int width() {
        return 0;
    }

    /** False: each image is read from disk and decoded when asked for. */
    @Override
    public boolean inMemory() {
        return false;
    }

    @Override
    public ImageFolder subset(int[] indices) {
        String[] f = new String[indices.length];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int index = Objects.checkIndex(indices[i], size());
            f[i] = files[index];
            l[i] = labels[index];
        }
        return new ImageFolder(name, classNames, classDirs, f, l);
    }

    @Override
    public ImageFolder limit(int n) {
        return (ImageFolder) LabelledImages.super.limit(n);
    }

    /**
     * Decodes every image into memory, on one thread per core, printing progress to {@code progress}.
     *
     * @param height required height of every image
     * @param width required width of every image
     * @param requireRgb whether grey or CMYK files are errors rather than converted to RGB
     * @throws DataException naming the first file that cannot be decoded or has another size (or is not
     *     RGB when required)
     */
    public ImageSet toImageSet(int height, int width, boolean requireRgb, PrintStream progress) {
        int sampleSize = 3 * height * width;
        byte[] pixels = new byte[Math.multiplyExact(size(), sampleSize)];
        int threads = Runtime.getRuntime().availableProcessors();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().name("addernet-decode").daemon().factory());
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                tasks.add(pool.submit(() -> {
                    // a failure anywhere stops every thread: the first error is the one reported
                    for (int i; !failed.get() && (i = next.getAndIncrement()) < size(); ) {
                        try {
                            decodeInto(i, height, width, requireRgb, pixels, i * sampleSize);
                        } catch (RuntimeException e) {
                            failed.set(true);
                            throw e;
                        }
                        done.incrementAndGet();
                    }
                }));
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                progress.print("\rdecoding " + name + ": " + done.get() + " of " + size() + " images");
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException(name + ": interrupted while decoding images", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new DataException(name + ": decoding failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        progress.printf("\rdecoded %s: %d images in %.1f s%n", name, size(), (System.nanoTime() - start) / 1e9);
        return ImageSet.wrap(name, pixels, labels.clone(), 3, height, width, classNames);
    }

    private void decodeInto(int index, int height, int width, boolean requireRgb, byte[] pixels, int offset) {
        ImageDecoder.Image image = ImageDecoder.decode(file(index));
        boolean rgb = image.sourceChannels() == 3;
        if (image.height() != height || image.width() != width || (requireRgb && !rgb)) {
            throw new DataException(file(index) + ": a " + image.height() + "x" + image.width() + " "
                    + (rgb ? "RGB" : image.sourceChannels() == 1 ? "grey" : "CMYK") + " image, expected "
                    + height + "x" + width + (requireRgb ? " RGB" : "") + " as every image of " + name);
        }
        System.arraycopy(image.rgb(), 0, pixels, offset, image.rgb().length);
    }

    @Override
    public String toString() {
        return name + ": " + size() + " images in " + classNames.size() + " class folders, decoded on demand";
    }
}
