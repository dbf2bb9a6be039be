package dev.addernet.data.transform;

import dev.addernet.data.Sample;
import dev.addernet.tensor.Rng;

/**
 * Mirrors an image left to right with the given probability, like torchvision's
 * {@code RandomHorizontalFlip(p)}: one uniform draw in [0, 1), flipped when it is below {@code p}.
 */
public record HorizontalFlip(double probability) implements SampleTransform {

    public HorizontalFlip {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1]: " + probability);
        }
    }

    @Override
    public Sample apply(Sample sample, Rng random) {
        if (random.nextDouble() >= probability) {
            return sample;
        }
        float[] v = sample.values();
        int w = sample.width();
        for (int row = 0; row < sample.channels() * sample.height(); row++) {
            for (int a = row * w, b = a + w - 1; a < b; a++, b--) {
                float t = v[a];
                v[a] = v[b];
                v[b] = t;
            }
        }
        return sample;
    }
}
