package dev.addernet;

import java.util.ArrayList;
import java.util.List;

/**
 * A classifier's answer for one image: a probability per class, best first on request.
 *
 * @param classNames    the class names, in label order
 * @param probabilities the softmax of the logits, one per class, in label order
 * @param note          what was done to the picture to fit the network (e.g. {@code resized 640x480 -> 32x32
 *                      (bilinear)}); empty if nothing was
 */
public record Prediction(List<String> classNames, float[] probabilities, String note) {

    /** One class and its probability. */
    public record Entry(int index, String label, float probability) {
        @Override
        public String toString() {
            return String.format("%s %.2f%%", label, 100 * probability);
        }
    }

    public Prediction {
        if (classNames.size() != probabilities.length) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + probabilities.length + " probabilities");
        }
        classNames = List.copyOf(classNames);
        probabilities = probabilities.clone();
    }

    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    /** The most probable class. */
    public Entry best() {
        return top(1).getFirst();
    }

    /** The {@code k} most probable classes (all of them if there are fewer), most probable first; ties by label order. */
    public List<Entry> top(int k) {
        if (k < 1) throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
        List<Entry> all = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) all.add(new Entry(i, classNames.get(i), probabilities[i]));
        // A stable sort keeps equal probabilities in label order.
        all.sort((a, b) -> Float.compare(b.probability(), a.probability()));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }
}
