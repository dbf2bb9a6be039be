package dev.addernet.analysis;

import dev.addernet.train.EpochEnd;
import dev.addernet.train.EpochMetrics;
import dev.addernet.train.TrainingListener;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redraws a run's {@code curves.png} after every epoch: loss and accuracy against epoch. A training method's
 * own values join the panel their name says: {@code *_loss} (and {@code loss_*}) the loss panel, {@code *_acc}
 * the accuracy panel (a teacher's curves beside the student's); others (the Lp scheme's p) are left out.
 */
public final class CurvesPlot implements TrainingListener {
    @Override
    public void epochEnded(EpochEnd end) throws IOException {
        List<EpochMetrics> h = end.history();
        double[] epochs = h.stream().mapToDouble(EpochMetrics::epoch).toArray();
        Map<String, double[]> loss = new LinkedHashMap<>(), acc = new LinkedHashMap<>();
        loss.put("train", h.stream().mapToDouble(EpochMetrics::trainLoss).toArray());
        loss.put("test", h.stream().mapToDouble(EpochMetrics::testLoss).toArray());
        acc.put("train", h.stream().mapToDouble(EpochMetrics::trainAcc).toArray());
        if (h.stream().allMatch(m -> m.valAcc() != null)) acc.put("validation", h.stream().mapToDouble(EpochMetrics::valAcc).toArray());
        acc.put("test", h.stream().mapToDouble(EpochMetrics::testAcc).toArray());
        for (String key : h.get(h.size() - 1).values().keySet()) {
            if (!h.stream().allMatch(m -> m.values().containsKey(key))) continue; // a value the earlier epochs lack
            double[] series = h.stream().mapToDouble(m -> m.values().get(key)).toArray();
            if (key.endsWith("_loss") || key.startsWith("loss_")) loss.put(key, series);
            else if (key.endsWith("_acc")) acc.put(key, series);
        }
        Plots.curves(end.run().curves(), epochs, loss, acc);
    }
}
