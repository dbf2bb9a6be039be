package dev.addernet.analysis;

import dev.addernet.data.LabelledImages;
import dev.addernet.data.Normalization;
import dev.addernet.data.transform.SampleTransform;
import dev.addernet.data.loading.Batch;
import dev.addernet.data.loading.BatchLoader;
import dev.addernet.nn.LayerObserver;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Tensor;
import java.util.Arrays;

/**
 * A layer's input or output on a set of images, read in eval mode through {@link LayerObserver} (the
 * network is run as it is, nothing is re-implemented): the features {@code plot features} and
 * {@code plot histograms} draw.
 */
public final class LayerCapture {
    /** Per image, {@code width} values (the layer's tensor flattened per image); labels per image. */
    public record Features(float[] values, int width, int[] labels) {
        public int count() { return labels.length; }
    }

    private LayerCapture() {}

    /** The module at a dotted path ("conv3", "layer3.2.conv2"), or an error naming the path and the top-level names. */
    public static Module find(Module root, String path) {
        Module m = root;
        for (String part : path.split("\\.")) {
            Module next = m.children().get(part);
            if (next == null) {
                throw new IllegalArgumentException("no layer '" + path + "' in the network (its top-level layers: "
                        + String.join(", ", root.children().keySet()) + ")");
            }
            m = next;
        }
        return m;
    }

    /** Runs every image of {@code set} through {@code model} and keeps {@code layer}'s input ({@code input}) or output. */
    public static Features capture(Module model, Module layer, boolean input, LabelledImages set, Normalization norm,
                                   SampleTransform transform, int batch) {
        boolean wasTraining = model.isTraining();
        model.train(false);
        float[] values = null;
        int width = -1, seen = 0;
        int[] labels = new int[set.size()];
        try (BatchLoader loader = new BatchLoader(set, batch, false, 0, 0, norm, transform, false)) {
            for (Batch b : loader) {
                Tensor[] caught = new Tensor[1];
                LayerObserver.watch((m, in, out) -> {
                    if (m == layer) caught[0] = copy(input ? in : out);
                }, () -> model.forward(new Tensor(b.images(), b.count(), b.channels(), b.height(), b.width())));
                if (caught[0] == null) throw new IllegalArgumentException("the layer did not run in the network's forward pass");
                int w = caught[0].numel() / b.count();
                if (values == null) {
                    width = w;
                    values = new float[Math.multiplyExact(set.size(), w)];
                }
                System.arraycopy(caught[0].data, 0, values, seen * width, b.count() * width);
                System.arraycopy(b.labels(), 0, labels, seen, b.count());
                seen += b.count();
            }
        } finally {
            model.train(wasTraining);
        }
        return new Features(values, width, labels);
    }

    /** Layers may reuse their input's array for later layers: keep a copy of what was seen. */
    private static Tensor copy(Tensor t) {
        return new Tensor(Arrays.copyOf(t.data, t.numel()), t.shape());
    }
}
