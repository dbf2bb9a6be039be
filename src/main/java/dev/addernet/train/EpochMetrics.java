package dev.addernet.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One line of {@code metrics.jsonl}: accuracies are fractions in [0, 1], times in seconds; {@code values}
 * are the training method's own (e.g. {@code p}, {@code loss_mid}), written
 * after the fixed keys.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAcc, Double valAcc, double testAcc, double testLoss,
                           double lr, double seconds, double imagesPerSec, Map<String, Double> values) {
    private static final Set<String> FIXED = Set.of("epoch", "train_loss", "train_acc", "val_acc", "test_acc", "test_loss", "lr",
            "seconds", "images_per_sec");

    public EpochMetrics {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The line's keys in order (val_acc only with a validation split). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("train_loss", trainLoss);
        m.put("train_acc", trainAcc);
        if (valAcc != null) m.put("val_acc", valAcc);
        m.put("test_acc", testAcc);
        m.put("test_loss", testLoss);
        m.put("lr", lr);
        m.put("seconds", seconds);
        m.put("images_per_sec", imagesPerSec);
        m.putAll(values);
        return m;
    }

    /** Reads a line written by {@link #toJson}; every key beyond the fixed ones is a method's value. */
    public static EpochMetrics fromJson(JsonNode n) {
        Map<String, Double> values = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
            if (!FIXED.contains(e.getKey())) values.put(e.getKey(), e.getValue().asDouble());
        });
        return new EpochMetrics(n.required("epoch").asInt(), n.required("train_loss").asDouble(), n.required("train_acc").asDouble(),
                n.hasNonNull("val_acc") ? n.get("val_acc").asDouble() : null, n.required("test_acc").asDouble(),
                n.required("test_loss").asDouble(), n.required("lr").asDouble(), n.required("seconds").asDouble(),
                n.required("images_per_sec").asDouble(), values);
    }
}
