package dev.addernet.data.source;

import dev.addernet.data.DatasetSplits;
import dev.addernet.data.Normalization;
import dev.addernet.data.ImageSet;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Reads the real dataset as installed by the Debian package {@code dataset-fashion-mnist}. */
class FashionMnistTest {

    static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void readsTheInstalledDataset() {
        Assumptions.assumeTrue(Files.isDirectory(SYSTEM_DIR),
                SYSTEM_DIR + " is absent (install with: sudo apt-get install dataset-fashion-mnist)");

        DatasetSplits splits = Datasets.resolve("fashion-mnist", null);

        ImageSet train = splits.train();
        ImageSet test = splits.test();
        assertThat(train.size()).isEqualTo(60000);
        assertThat(test.size()).isEqualTo(10000);
        for (ImageSet set : new ImageSet[] {train, test}) {
            assertThat(set.channels()).isEqualTo(1);
            assertThat(set.height()).isEqualTo(28);
            assertThat(set.width()).isEqualTo(28);
            assertThat(set.numClasses()).isEqualTo(10);
        }
        // the dataset is balanced: 6000 training and 1000 test images per class
        int[] counts = new int[10];
        for (int label : train.labels()) {
            counts[label]++;
        }
        assertThat(counts).containsOnly(6000);
        // and its mean pixel is the one the normalisation constant was computed from
        byte[] pixels = train.pixels();
        double mean = IntStream.range(0, pixels.length).mapToDouble(i -> pixels[i] & 0xFF).average().orElseThrow() / 255;
        assertThat(mean).isCloseTo(Normalization.FASHION_MNIST.mean(0), org.assertj.core.data.Offset.offset(5e-4));
    }
}
