package dev.addernet.data;

import dev.addernet.data.source.Datasets;
import dev.addernet.data.transform.SampleTransform;
import dev.addernet.data.transform.Pad;
import dev.addernet.tensor.Rng;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatasetSplitsTest {

    @Test
    void theThreeArgumentFormKeepsImagesAsTheyAre() {
        ImageSet train = NumberedImages.numbered(5);
        ImageSet test = NumberedImages.numbered(2);

        DatasetSplits splits = new DatasetSplits(train, test, Normalization.MNIST);

        assertThat(splits.train()).isSameAs(train);
        assertThat(splits.testImages()).isSameAs(test);
        Sample sample = train.sample(3);
        assertThat(splits.trainTransform().apply(sample, new Rng(1))).isSameAs(sample);
        assertThat(splits.evalTransform().apply(sample, new Rng(1))).isSameAs(sample);
        // LeNet-5's 28 -> 32 padding composes with the dataset's transform
        SampleTransform lenet = Pad.toSize(new ImageSet("m", new byte[28 * 28], new int[] {0}, 1, 28, 28,
                NumberedImages.CLASSES), 32).andThen(splits.trainTransform());
        assertThat(lenet.apply(new Sample(new float[28 * 28], 1, 28, 28), new Rng(1)).height()).isEqualTo(32);
    }

    @Test
    void everyDatasetIsRegistered() {
        assertThat(Datasets.names()).containsExactly("fashion-mnist", "mnist", "cifar10", "cifar100",
                "cifar100-coarse", "cifar10-jpeg", "imagefolder", "imagenet");
    }

    @Test
    void imageSetSamplesAreFreshFloatsInUnitRange() {
        ImageSet set = new ImageSet("s", new byte[] {0, (byte) 255, 51, 1}, new int[] {2}, 1, 2, 2,
                NumberedImages.CLASSES);
        Sample sample = set.sample(0);
        assertThat(sample.values()).containsExactly(0f, 1f, 51 / 255f, 1 / 255f);
        sample.values()[0] = 9;
        assertThat(set.sample(0).values()[0]).isZero();
        assertThat(set.inMemory()).isTrue();
        LabelledImages[] parts = set.split(0, 1);
        assertThat(parts[0].size()).isEqualTo(1);
    }
}
