package dev.addernet;

import dev.addernet.data.Normalization;
import dev.addernet.data.source.ImageInput;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.WeightsFile;
import dev.addernet.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A trained network ready to classify: the embedding API of addernet.
 *
 * <pre>{@code
 * Classifier classifier = Classifier.load(Path.of("resnet20-adder.safetensors"));
 * Prediction p = classifier.classify(Path.of("cat.png"));
 * System.out.println(p.best() + ", top 3: " + p.top(3));   // cat 91.20%, top 3: [cat 91.20%, dog 4.10%, ...]
 * }</pre>
 *
 * The weights file (written by {@code train} or {@code import}) holds everything needed: the model
 * configuration, class names and input normalisation. The network runs in evaluation mode (BatchNorm with
 * its running statistics). Calls are serialised, so one instance may be shared between threads; the
 * kernels use all cores ({@code dev.addernet.kernel.Parallel}) within each call.
 */
public final class Classifier {
    /** Images per forward pass: bounds the memory of a large {@link #logits} call. */
    private static final int CHUNK = 128;
    // The training images' size for datasets whose images were zero-padded up to the network's input.
    private static final Map<String, Integer> PADDED_FROM = Map.of("mnist", 28, "fashion-mnist", 28);

    private final Path file;
    private final WeightsFile.Loaded weights;
    private final List<String> classNames;

    private Classifier(Path file, WeightsFile.Loaded weights) {
        this.file = file;
        this.weights = weights;
        int k = weights.config().numClasses();
        List<String> names = weights.classNames();
        if (names.size() != k) {
            // Files without class names get their label numbers.
            names = new ArrayList<>();
            for (int i = 0; i < k; i++) names.add(Integer.toString(i));
        }
        this.classNames = List.copyOf(names);
    }

    /** Loads a weights file; a {@link dev.addernet.io.FormatException} says what is wrong with it. */
    public static Classifier load(Path weights) throws IOException {
        return new Classifier(weights, WeightsFile.load(weights));
    }

    /** The network's configuration (architecture, op, input channels and size, classes). */
    public ModelConfig config() {
        return weights.config();
    }

    /** The class names in label order. */
    public List<String> classNames() {
        return classNames;
    }

    /** The dataset the network was trained on, as its weights file says (e.g. {@code cifar10}). */
    public String dataset() {
        return weights.dataset();
    }

    /** Logits [N, classes] of a normalised batch [N, channels, size, size]. */
    public synchronized Tensor logits(Tensor input) {
        ModelConfig cfg = weights.config();
        int c = cfg.inChannels(), s = cfg.imageSize(), k = cfg.numClasses();
        if (input.rank() != 4 || input.dim(1) != c || input.dim(2) != s || input.dim(3) != s) {
            throw new IllegalArgumentException("input has shape " + Arrays.toString(input.shape()) + ", but " + cfg.model()
                    + " expects [N, " + c + ", " + s + ", " + s + "]");
        }
        int n = input.dim(0), per = c * s * s;
        float[] out = new float[n * k];
        weights.model().train(false);
        for (int from = 0; from < n; from += CHUNK) {
            int m = Math.min(CHUNK, n - from);
            float[] chunk = Arrays.copyOfRange(input.data, from * per, (from + m) * per);
            Tensor y = weights.model().forward(new Tensor(chunk, m, c, s, s));
            System.arraycopy(y.data, 0, out, from * k, m * k);
        }
        requireFinite(out, k);
        return new Tensor(out, n, k);
    }

    // A NaN logit makes every comparison false and its softmax NaN: no class or probability can be reported.
    private void requireFinite(float[] logits, int k) {
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isFinite(logits[i])) {
                throw new NonFiniteOutput(file + ": the network's output is not finite (logit " + i % k + " of input " + i / k
                        + " is " + logits[i] + "): its results cannot be trusted");
            }
        }
    }

    /** Class probabilities (softmax of the logits) of a normalised batch [N, channels, size, size], row by row: N x classes values. */
    public float[] probabilities(Tensor input) {
        Tensor logits = logits(input);
        return softmax(logits.data, logits.dim(1));
    }

    /** Classifies a normalised image [channels, size, size] (or a batch of one). */
    public Prediction classify(Tensor image) {
        Tensor batch = image.rank() == 3 ? new Tensor(image.data, 1, image.dim(0), image.dim(1), image.dim(2)) : image;
        if (batch.dim(0) != 1) throw new IllegalArgumentException("classify takes one image, got a batch of " + batch.dim(0));
        return new Prediction(classNames, probabilities(batch), "");
    }

    /**
     * Classifies a picture: converted to the network's channels, fitted to its input size (zero-padded as
     * in training, or resized bilinearly) and normalised with the weights file's mean and std.
     */
    public Prediction classify(BufferedImage picture) {
        if (picture == null) throw new IllegalArgumentException("no picture (ImageIO.read returns null for a format it cannot decode)");
        return prediction(prepare(cfg -> ImageInput.prepare(picture, cfg.inChannels(), cfg.imageSize(),
                PADDED_FROM.getOrDefault(weights.dataset(), 0), new Normalization(weights.mean(), weights.std()))));
    }

    /**
     * Classifies a PNG or JPEG file, decoded exactly as training decodes its images, then prepared as
     * {@link #classify(BufferedImage)} does.
     */
    public Prediction classify(Path picture) {
        ImageInput.Prepared p = prepare(cfg -> ImageInput.read(picture, cfg.inChannels(), cfg.imageSize(),
                PADDED_FROM.getOrDefault(weights.dataset(), 0), new Normalization(weights.mean(), weights.std())));
        return prediction(p);
    }

    // A picture is normalised with the file's mean and std, one per input channel: checked before preparing it.
    private ImageInput.Prepared prepare(Function<ModelConfig, ImageInput.Prepared> how) {
        ModelConfig cfg = weights.config();
        if (weights.mean() == null || weights.std() == null) {
            throw new IllegalArgumentException(file + ": no input normalisation (metadata mean/std): classify a normalised tensor instead");
        }
        if (weights.mean().length != cfg.inChannels() || weights.std().length != cfg.inChannels()) {
            throw new IllegalArgumentException(file + ": metadata mean/std have " + weights.mean().length + "/" + weights.std().length
                    + " values, expected one per input channel (" + cfg.inChannels() + ")");
        }
        return how.apply(cfg);
    }

    private Prediction prediction(ImageInput.Prepared p) {
        ModelConfig cfg = weights.config();
        Tensor x = new Tensor(p.values(), 1, cfg.inChannels(), cfg.imageSize(), cfg.imageSize());
        return new Prediction(classNames, probabilities(x), p.note());
    }

    /** Row-wise softmax of [rows, k] logits, with the row maximum subtracted so exp cannot overflow. */
    public static float[] softmax(float[] logits, int k) {
        float[] out = new float[logits.length];
        for (int row = 0; row < logits.length; row += k) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) max = Math.max(max, logits[row + j]);
            double sum = 0;
            for (int j = 0; j < k; j++) sum += Math.exp(logits[row + j] - max);
            for (int j = 0; j < k; j++) out[row + j] = (float) (Math.exp(logits[row + j] - max) / sum);
        }
        return out;
    }
}
