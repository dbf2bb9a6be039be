package dev.addernet.data.loading;

import dev.addernet.data.Sample;
import dev.addernet.data.DataException;
import dev.addernet.data.LabelledImages;
import dev.addernet.data.Normalization;
import dev.addernet.data.transform.SampleTransform;
import dev.addernet.data.transform.Pad;
import dev.addernet.tensor.Rng;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Yields one epoch of a {@link LabelledImages} set (an in-memory {@link ImageSet} or a lazily decoded
 * {@link ImageFolder}) as normalised float {@link Batch}es.
 *
 * <p>Each image goes bytes &rarr; floats in [0, 1] &rarr; {@link SampleTransform} &rarr;
 * {@code (x - mean) / std}. Transforms act on [0, 1] floats where torchvision's act on the PIL image
 * before {@code ToTensor}; since they only move and blend pixels, the result is the same up to
 * rounding, and a zero-padded pixel is black in both.
 *
 * <p>The shuffle order of an epoch is a pure function of (seed, epoch), and each image's transform
 * randomness a pure function of (seed, epoch, image index). A run resumed at epoch e therefore sees
 * exactly what an uninterrupted run would have seen, without saving any random state.
 *
 * <p>A daemon thread named {@code addernet-prefetch} assembles up to two batches ahead while the
 * consumer trains; an exception there is rethrown to the consumer. For a set that is not in memory,
 * the images of a batch are read, decoded and transformed on one {@code addernet-decode} daemon thread
 * per core, since decoding a JPEG costs far more than copying bytes. A loader covers one epoch and can
 * be iterated once; close it (try-with-resources) to stop the threads if iteration ends early:
 *
 * <pre>{@code
 * try (var loader = new BatchLoader(train, 128, true, seed, epoch, Normalization.FASHION_MNIST, 32)) {
 *     for (Batch batch : loader) { ... }
 * }
 * }</pre>
 */
public final class BatchLoader implements Iterable<Batch>, AutoCloseable {

    private static final int PREFETCH = 2;
    /** Queue marker for the end of the epoch. */
    private static final Object END = new Object();

    /** Queue entry carrying an exception from the prefetch thread to the consumer. */
    private record Failure(Throwable error) {}

    private final LabelledImages set;
    private final int batchSize;
    private final long seed;
    private final int epoch;
    private final Normalization norm;
    private final SampleTransform transform;
    private final int batches;
    private final int[] order;
    /** Image shape after the transform. */
    private final int channels;
    private final int height;
    private final int width;

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(PREFETCH);
    /** Decoding threads for sets that are not in memory, else null; threads start with the first batch. */
    private final ExecutorService decoders;
    private volatile boolean closed;
    private Thread producer;

    /** A loader that zero-pads to {@code padTo} x {@code padTo} (0 for none) and keeps a last partial batch. */
    public BatchLoader(LabelledImages set, int batchSize, boolean shuffle, long seed, int epoch,
            Normalization norm, int padTo) {
        this(set, batchSize, shuffle, seed, epoch, norm, padTo, false);
    }

    /**
     * A loader that zero-pads every image symmetrically to {@code padTo} x {@code padTo}.
     *
     * @param padTo target size, or 0 for no padding; padding is applied before normalisation (see
     *     {@link Pad})
     * @param dropLast whether to skip a last batch smaller than {@code batchSize}
     */
    public BatchLoader(LabelledImages set, int batchSize, boolean shuffle, long seed, int epoch,
            Normalization norm, int padTo, boolean dropLast) {
        this(set, batchSize, shuffle, seed, epoch, norm, Pad.toSize(set, padTo), dropLast);
    }

    /**
     * A loader with an arbitrary per-image transform.
     *
     * @param set images to load
     * @param batchSize images per batch
     * @param shuffle whether to visit images in a random order (a function of seed and epoch) rather
     *     than in set order
     * @param seed seed for the order and for the transform's randomness
     * @param epoch epoch number, which selects the order and the transform draws
     * @param norm normalisation; its channel count must match the transformed images
     * @param transform applied to each image before normalisation
     * @param dropLast whether to skip a last batch smaller than {@code batchSize}
     */
    public BatchLoader(LabelledImages set, int batchSize, boolean shuffle, long seed, int epoch,
            Normalization norm, SampleTransform transform, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        this.set = set;
        this.batchSize = batchSize;
        this.seed = seed;
        this.epoch = epoch;
        this.norm = norm;
        this.transform = transform;
        this.batches = dropLast ? set.size() / batchSize : (set.size() + batchSize - 1) / batchSize;
        this.order = shuffle ? Rng.of(seed, epoch).permutation(set.size()) : identity(set.size());
        int[] shape = outputShape(set, transform);
        this.channels = shape[0];
        this.height = shape[1];
        this.width = shape[2];
        if (norm.channels() != channels) {
            throw new IllegalArgumentException(set.name() + ": normalisation has " + norm.channels()
                    + " channels, expected " + channels + " to match the images");
        }
        this.decoders = set.inMemory() ? null : Executors.newFixedThreadPool(
                Runtime.getRuntime().availableProcessors(), Thread.ofPlatform().name("addernet-decode").daemon().factory());
    }

    /**
     * The shape {@code {channels, height, width}} of the images that {@code transform} makes of the
     * set's images: what a network fed by a loader with this transform receives.
     *
     * <p>Transforms promise a shape that depends only on the input shape, so one probe suffices: a
     * blank image of the set's shape, or the first image when the set's images differ in size.
     */
    public static int[] outputShape(LabelledImages set, SampleTransform transform) {
        Sample probe;
        if (set.height() > 0 && set.width() > 0) {
            probe = new Sample(new float[set.channels() * set.height() * set.width()],
                    set.channels(), set.height(), set.width());
        } else if (set.size() > 0) {
            probe = set.sample(0);
        } else {
            probe = new Sample(new float[set.channels()], set.channels(), 1, 1);
        }
        Sample out = transform.apply(probe, new Rng(0));
        return new int[] {out.channels(), out.height(), out.width()};
    }

    /** Number of batches this loader yields. */
    public int batchesPerEpoch() {
        return batches;
    }

    /**
     * Starts the prefetch thread and returns the batches of this epoch.
     *
     * @throws IllegalStateException if called a second time or after {@link #close()}
     */
    @Override
    public synchronized Iterator<Batch> iterator() {
        if (producer != null || closed) {
            throw new IllegalStateException("a BatchLoader yields its epoch once; create a new one for another pass");
        }
        producer = Thread.ofPlatform().name("addernet-prefetch").daemon().start(this::produce);
        return new Iterator<>() {
            private Object next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = take();
                }
                if (next instanceof Failure failure) {
                    throw rethrow(failure.error());
                }
                return next != END;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch " + epoch + " has no more batches");
                }
                Batch batch = (Batch) next;
                next = null;
                return batch;
            }
        };
    }

    /** Stops the prefetch and decoding threads; iteration then ends. */
    @Override
    public void close() {
        closed = true;
        if (decoders != null) {
            decoders.shutdownNow();
        }
        Thread thread;
        synchronized (this) {
            thread = producer;
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void produce() {
        try {
            for (int b = 0; b < batches && !closed; b++) {
                queue.put(assemble(b));
            }
            queue.put(END);
        } catch (InterruptedException e) {
            // closed by the consumer: nothing more to deliver
        } catch (Throwable t) {
            try {
                queue.put(new Failure(t));
            } catch (InterruptedException e) {
                // closed while reporting: the consumer no longer listens
            }
        } finally {
            if (decoders != null) {
                decoders.shutdownNow();
            }
        }
    }

    /** Next queue entry; polls so that a close() from another thread also ends a waiting consumer. */
    private Object take() {
        try {
            Object entry = null;
            while (!closed && entry == null) {
                entry = queue.poll(100, TimeUnit.MILLISECONDS);
            }
            return closed ? END : entry;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the next batch");
        }
    }

    private static RuntimeException rethrow(Throwable error) {
        if (error instanceof RuntimeException e) {
            return e;
        }
        if (error instanceof Error e) {
            throw e;
        }
        return new DataException("batch prefetch failed: " + error, error);
    }

    private Batch assemble(int b) throws InterruptedException {
        int from = b * batchSize;
        int count = Math.min(batchSize, set.size() - from);
        float[] images = new float[count * channels * height * width];
        int[] labels = new int[count];
        if (decoders == null) {
            for (int i = 0; i < count; i++) {
                load(order[from + i], images, labels, i);
            }
        } else {
            // each decoder takes the next unclaimed image; every image writes only its own slots
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < Math.min(count, Runtime.getRuntime().availableProcessors()); t++) {
                tasks.add(decoders.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < count; ) {
                        load(order[from + i], images, labels, i);
                    }
                }));
            }
            for (Future<?> task : tasks) {
                try {
                    task.get();
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                }
            }
        }
        return new Batch(images, labels, count, channels, height, width);
    }

    /** Reads, transforms and normalises image {@code index} into slot {@code i} of a batch. */
    private void load(int index, float[] images, int[] labels, int i) {
        int plane = height * width;
        int outSize = channels * plane;
        Sample sample = transform.apply(set.sample(index), Rng.of(seed, epoch, index));
        if (sample.channels() != channels || sample.height() != height || sample.width() != width) {
            String why = set.height() > 0
                    ? "a SampleTransform's output shape must depend only on its input shape"
                    : "the images of " + set.name() + " differ in size, so the transform must give them one"
                            + " size (e.g. resize and crop)";
            throw new IllegalStateException("transform turned image " + index + " into "
                    + sample.channels() + "x" + sample.height() + "x" + sample.width() + ", expected "
                    + channels + "x" + height + "x" + width + ": " + why);
        }
        float[] src = sample.values();
        for (int c = 0; c < channels; c++) {
            float mean = norm.mean(c);
            float std = norm.std(c);
            for (int k = c * plane, o = i * outSize + c * plane, end = k + plane; k < end; k++, o++) {
                images[o] = (src[k] - mean) / std; // Normalize
            }
        }
        labels[i] = set.label(index);
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
