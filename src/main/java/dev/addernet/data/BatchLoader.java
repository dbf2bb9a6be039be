package dev.addernet.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * Yields one epoch of an {@link ImageSet} as normalised float {@link Batch}es.
 *
 * <p>Each image goes bytes &rarr; floats in [0, 1] &rarr; {@link SampleTransform} &rarr;
 * {@code (x - mean) / std}, the order of torchvision's {@code Pad}/{@code RandomCrop}, {@code ToTensor},
 * {@code Normalize}.
 *
 * <p>The shuffle order of an epoch is a pure function of (seed, epoch), and each image's transform
 * randomness a pure function of (seed, epoch, image index). A run resumed at epoch e therefore sees
 * exactly what an uninterrupted run would have seen, without saving any random state.
 *
 * <p>A daemon thread named {@code addernet-prefetch} assembles up to two batches ahead while the
 * consumer trains; an exception there is rethrown to the consumer. A loader covers one epoch and can
 * be iterated once; close it (try-with-resources) to stop the thread if iteration ends early:
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

    private final ImageSet set;
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
    private volatile boolean closed;
    private Thread producer;

    /** A loader that zero-pads to {@code padTo} x {@code padTo} (0 for none) and keeps a last partial batch. */
    public BatchLoader(ImageSet set, int batchSize, boolean shuffle, long seed, int epoch,
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
    public BatchLoader(ImageSet set, int batchSize, boolean shuffle, long seed, int epoch,
            Normalization norm, int padTo, boolean dropLast) {
        this(set, batchSize, shuffle, seed, epoch, norm, padding(set, padTo), dropLast);
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
    public BatchLoader(ImageSet set, int batchSize, boolean shuffle, long seed, int epoch,
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
        this.order = shuffle ? SplitMix64.of(seed, epoch).permutation(set.size()) : identity(set.size());
        // Transforms promise a shape that depends only on the input shape, so probe it once.
        Sample probe = transform.apply(blank(), new SplitMix64(0));
        this.channels = probe.channels();
        this.height = probe.height();
        this.width = probe.width();
        if (norm.channels() != channels) {
            throw new IllegalArgumentException(set.name() + ": normalisation has " + norm.channels()
                    + " channels, expected " + channels + " to match the images");
        }
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

    /** Stops the prefetch thread; iteration then ends. */
    @Override
    public void close() {
        closed = true;
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

    private Batch assemble(int b) {
        int from = b * batchSize;
        int count = Math.min(batchSize, set.size() - from);
        int outSize = channels * height * width;
        int plane = height * width;
        float[] images = new float[count * outSize];
        int[] labels = new int[count];
        byte[] pixels = set.rawPixels();
        int inSize = set.sampleSize();
        for (int i = 0; i < count; i++) {
            int index = order[from + i];
            float[] values = new float[inSize];
            for (int k = 0, p = index * inSize; k < inSize; k++, p++) {
                values[k] = (pixels[p] & 0xFF) / 255f; // ToTensor
            }
            Sample sample = transform.apply(new Sample(values, set.channels(), set.height(), set.width()),
                    SplitMix64.of(seed, epoch, index));
            if (sample.channels() != channels || sample.height() != height || sample.width() != width) {
                throw new IllegalStateException("transform turned image " + index + " into "
                        + sample.channels() + "x" + sample.height() + "x" + sample.width() + ", expected "
                        + channels + "x" + height + "x" + width + ": a SampleTransform's output shape must"
                        + " depend only on its input shape");
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
        return new Batch(images, labels, count, channels, height, width);
    }

    private Sample blank() {
        return new Sample(new float[set.sampleSize()], set.channels(), set.height(), set.width());
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** The symmetric zero padding that brings the set's images to {@code padTo} x {@code padTo}. */
    private static SampleTransform padding(ImageSet set, int padTo) {
        if (padTo == 0) {
            return SampleTransform.identity();
        }
        int dh = padTo - set.height();
        int dw = padTo - set.width();
        if (dh < 0 || dh != dw || dh % 2 != 0) {
            throw new DataException(set.name() + ": cannot pad " + set.height() + "x" + set.width()
                    + " images symmetrically to " + padTo + "x" + padTo
                    + ", expected square images no larger than " + padTo + " with an even size difference");
        }
        return new Pad(dh / 2);
    }
}
