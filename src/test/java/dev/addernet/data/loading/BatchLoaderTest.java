package dev.addernet.data.loading;

import dev.addernet.data.DataException;
import dev.addernet.data.Normalization;
import dev.addernet.data.ImageSet;
import dev.addernet.data.NumberedImages;
import dev.addernet.data.transform.SampleTransform;
import dev.addernet.data.transform.Pad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {

    static final List<String> CLASSES = NumberedImages.CLASSES;
    /** Leaves values at x: a batch value times 255 is then the pixel. */
    static final Normalization NONE = new Normalization(new float[] {0}, new float[] {1});

    static ImageSet numbered(int n) {
        return NumberedImages.numbered(n);
    }

    /** The image indices of an epoch, in the order the loader yields them. */
    static int[] order(BatchLoader loader) {
        List<Integer> ids = new ArrayList<>();
        try (loader) {
            for (Batch batch : loader) {
                int size = batch.channels() * batch.height() * batch.width();
                for (int i = 0; i < batch.count(); i++) {
                    int id = Math.round(batch.images()[i * size] * 255);
                    assertThat(batch.labels()[i]).isEqualTo(id % 10);
                    ids.add(id);
                }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    static BatchLoader loader(ImageSet set, int batchSize, boolean shuffle, long seed, int epoch) {
        return new BatchLoader(set, batchSize, shuffle, seed, epoch, NONE, 0);
    }

    @Test
    void everySampleExactlyOncePerEpoch() {
        ImageSet set = numbered(100);
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] order = order(loader(set, 16, true, 7, epoch));
            assertThat(IntStream.of(order).sorted().toArray()).isEqualTo(IntStream.range(0, 100).toArray());
        }
    }

    @Test
    void orderIsAPureFunctionOfSeedAndEpoch() {
        ImageSet set = numbered(100);
        int[] epoch0 = order(loader(set, 16, true, 7, 0));
        int[] epoch1 = order(loader(set, 16, true, 7, 1));

        assertThat(epoch0).isNotEqualTo(epoch1).isNotEqualTo(IntStream.range(0, 100).toArray());
        // a resumed run builds a fresh loader for epoch 1: it must see the same order
        assertThat(order(loader(set, 16, true, 7, 1))).isEqualTo(epoch1);
        // the order does not depend on how the epoch is cut into batches
        assertThat(order(loader(set, 33, true, 7, 1))).isEqualTo(epoch1);
        assertThat(order(loader(set, 16, true, 8, 1))).isNotEqualTo(epoch1);
    }

    @Test
    void withoutShuffleTheOrderIsTheSetOrder() {
        assertThat(order(loader(numbered(50), 16, false, 7, 3))).isEqualTo(IntStream.range(0, 50).toArray());
    }

    @Test
    void lastPartialBatchIsKeptUnlessDropped() {
        ImageSet set = numbered(10);
        try (BatchLoader loader = loader(set, 4, false, 0, 0)) {
            assertThat(loader.batchesPerEpoch()).isEqualTo(3);
            List<Batch> batches = new ArrayList<>();
            loader.forEach(batches::add);
            assertThat(batches).extracting(Batch::count).containsExactly(4, 4, 2);
            assertThat(batches.get(2).images()).hasSize(2 * 4);
            assertThat(batches.get(2).labels()).containsExactly(8, 9);
        }
        try (BatchLoader loader = new BatchLoader(set, 4, false, 0, 0, NONE, 0, true)) {
            assertThat(loader.batchesPerEpoch()).isEqualTo(2);
            assertThat(order(loader)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        }
        try (BatchLoader loader = loader(numbered(0), 4, true, 0, 0)) {
            assertThat(loader.batchesPerEpoch()).isZero();
            assertThat(loader.iterator().hasNext()).isFalse();
        }
    }

    @Test
    void normalisesExactlyLikeToTensorThenNormalize() {
        byte[] pixels = {0, (byte) 255, 51, (byte) 200};
        ImageSet set = new ImageSet("s", pixels, new int[] {3}, 1, 2, 2, CLASSES);
        Normalization norm = Normalization.FASHION_MNIST;

        try (BatchLoader loader = new BatchLoader(set, 8, false, 0, 0, norm, 0)) {
            Batch batch = loader.iterator().next();
            assertThat(batch.count()).isEqualTo(1);
            assertThat(batch.images()).containsExactly(
                    (0 / 255f - 0.2860f) / 0.3530f,
                    (255 / 255f - 0.2860f) / 0.3530f,
                    (51 / 255f - 0.2860f) / 0.3530f,
                    (200 / 255f - 0.2860f) / 0.3530f);
        }
    }

    @Test
    void normalisesEachChannelWithItsOwnStatistics() {
        byte[] pixels = {10, 10, (byte) 128, (byte) 128, (byte) 250, (byte) 250};
        ImageSet set = new ImageSet("rgb", pixels, new int[] {0}, 3, 1, 2, CLASSES);

        try (BatchLoader loader = new BatchLoader(set, 1, false, 0, 0, Normalization.CIFAR, 0)) {
            float[] values = loader.iterator().next().images();
            assertThat(values).containsExactly(
                    (10 / 255f - 0.4914f) / 0.2023f, (10 / 255f - 0.4914f) / 0.2023f,
                    (128 / 255f - 0.4822f) / 0.1994f, (128 / 255f - 0.4822f) / 0.1994f,
                    (250 / 255f - 0.4465f) / 0.2010f, (250 / 255f - 0.4465f) / 0.2010f);
        }
    }

    @Test
    void padsWithBlackBeforeNormalising() {
        byte[] pixels = new byte[28 * 28];
        Arrays.fill(pixels, (byte) 255);
        ImageSet set = new ImageSet("white", pixels, new int[] {1}, 1, 28, 28, CLASSES);

        try (BatchLoader loader = new BatchLoader(set, 4, false, 0, 0, Normalization.MNIST, 32)) {
            Batch batch = loader.iterator().next();
            assertThat(batch.height()).isEqualTo(32);
            assertThat(batch.width()).isEqualTo(32);
            float pad = (0f - 0.1307f) / 0.3081f;
            float white = (1f - 0.1307f) / 0.3081f;
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean inside = y >= 2 && y < 30 && x >= 2 && x < 30;
                    assertThat(batch.images()[y * 32 + x]).as("(%d, %d)", y, x).isEqualTo(inside ? white : pad);
                }
            }
        }
    }

    @Test
    void rejectsAPaddingThatCannotBeSymmetric() {
        ImageSet set = numbered(3);
        assertThatThrownBy(() -> new BatchLoader(set, 4, false, 0, 0, NONE, 5))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("cannot pad 2x2 images symmetrically to 5x5");
        assertThatThrownBy(() -> new BatchLoader(set, 4, false, 0, 0, Normalization.CIFAR, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("normalisation has 3 channels, expected 1");
    }

    @Test
    void transformRandomnessDependsOnSeedEpochAndImageOnly() {
        // a "transform" that records a random draw in the image, standing in for a random crop
        SampleTransform draw = (sample, random) -> {
            Arrays.fill(sample.values(), random.nextInt(1_000_000));
            return sample;
        };
        ImageSet set = numbered(40);
        int[] byImage = draws(set, draw, 8, true, 0);

        assertThat(draws(set, draw, 5, false, 0)).isEqualTo(byImage);
        assertThat(draws(set, draw, 8, true, 1)).isNotEqualTo(byImage);
        assertThat(IntStream.of(byImage).distinct().count()).isGreaterThan(35);
    }

    /** The value the transform drew for each image, indexed by image (recovered from the label order). */
    private static int[] draws(ImageSet set, SampleTransform transform, int batchSize, boolean shuffle, int epoch) {
        int[] order = order(loader(set, batchSize, shuffle, 3, epoch));
        int[] result = new int[set.size()];
        int position = 0;
        try (BatchLoader loader = new BatchLoader(set, batchSize, shuffle, 3, epoch, NONE, transform, false)) {
            for (Batch batch : loader) {
                for (int i = 0; i < batch.count(); i++) {
                    result[order[position++]] = (int) batch.images()[i * 4];
                }
            }
        }
        return result;
    }

    @Test
    void prefetchesOnANamedDaemonThreadThatCloseStops() throws Exception {
        AtomicReference<Thread> worker = new AtomicReference<>();
        SampleTransform spy = (sample, random) -> {
            worker.set(Thread.currentThread());
            return sample;
        };
        BatchLoader loader = new BatchLoader(numbered(200), 1, false, 0, 0, NONE, spy, false);
        Iterator<Batch> batches = loader.iterator();
        batches.next();
        Thread thread = worker.get();
        assertThat(thread.getName()).isEqualTo("addernet-prefetch");
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread).isNotSameAs(Thread.currentThread());

        loader.close();

        assertThat(thread.isAlive()).isFalse();
        assertThat(batches.hasNext()).isFalse();
        assertThatThrownBy(loader::iterator).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void exceptionsInThePrefetchThreadReachTheConsumer() {
        SampleTransform failing = (sample, random) -> {
            if (sample.values()[0] * 255 > 4.5f) {
                throw new DataException("broken image");
            }
            return sample;
        };
        try (BatchLoader loader = new BatchLoader(numbered(10), 2, false, 0, 0, NONE, failing, false)) {
            Iterator<Batch> batches = loader.iterator();
            assertThat(batches.next().labels()).containsExactly(0, 1);
            assertThat(batches.next().labels()).containsExactly(2, 3);
            assertThatThrownBy(batches::next).isInstanceOf(DataException.class).hasMessage("broken image");
        }
    }

    @Test
    void transformsChainAndMustKeepAFixedShape() {
        SampleTransform twice = new Pad(1).andThen(new Pad(2));
        try (BatchLoader loader = new BatchLoader(numbered(3), 4, false, 0, 0, NONE, twice, false)) {
            Batch batch = loader.iterator().next();
            assertThat(batch.height()).isEqualTo(8);
            assertThat(batch.width()).isEqualTo(8);
        }
        SampleTransform unstable = (sample, random) -> sample.values()[0] > 0 ? new Pad(1).apply(sample, random) : sample;
        try (BatchLoader loader = new BatchLoader(numbered(3), 4, false, 0, 0, NONE, unstable, false)) {
            assertThatThrownBy(() -> loader.iterator().next())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("output shape must depend only on its input shape");
        }
    }

    @Test
    void normalizationConstantsCannotBeChanged() {
        Normalization.CIFAR.mean()[0] = 99;
        assertThat(Normalization.CIFAR.mean()).containsExactly(0.4914f, 0.4822f, 0.4465f);
        assertThat(Normalization.IMAGENET.std()).containsExactly(0.229f, 0.224f, 0.225f);
        assertThat(Normalization.MNIST).isEqualTo(new Normalization(new float[] {0.1307f}, new float[] {0.3081f}));
    }
}
