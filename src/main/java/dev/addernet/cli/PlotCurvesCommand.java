package dev.addernet.cli;

import dev.addernet.analysis.ChartSheet;
import dev.addernet.analysis.RunRecord;
import dev.addernet.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code plot curves}: test accuracy and loss against epoch of several runs (Universal AdderNets Fig. 6, PKKD Fig. 2). */
@Command(name = "curves", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Test accuracy, and train and test loss, against epoch for one or more run folders, labelled by run.")
final class PlotCurvesCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "A run folder (repeatable).") List<Path> runs;
    @Option(names = "--out", description = "The PNG to write (default runs/plot-curves.png); the numbers go beside it as .json.") Path out;

    @Override
    public Integer call() throws Exception {
        List<RunRecord> records = new ArrayList<>();
        for (Path r : runs) records.add(RunRecord.read(r));
        XYChart acc = ChartSheet.chart(600, 420, "Test accuracy", "epoch", "accuracy");
        XYChart loss = ChartSheet.chart(600, 420, "Loss (solid: test, dashed: train)", "epoch", "cross-entropy");
        List<Map<String, Object>> json = new ArrayList<>();
        List<String> labels = labels(records);
        for (int i = 0; i < records.size(); i++) {
            RunRecord r = records.get(i);
            String label = labels.get(i);
            double[] ep = r.epochs().stream().mapToDouble(RunRecord.Epoch::epoch).toArray();
            double[] testAcc = r.epochs().stream().mapToDouble(RunRecord.Epoch::testAcc).toArray();
            double[] testLoss = r.epochs().stream().mapToDouble(RunRecord.Epoch::testLoss).toArray();
            double[] trainLoss = r.epochs().stream().mapToDouble(RunRecord.Epoch::trainLoss).toArray();
            java.awt.Color color = ChartSheet.CLASS_COLORS[i % ChartSheet.CLASS_COLORS.length];
            var a = acc.addSeries(label, ep, testAcc);
            a.setMarker(SeriesMarkers.CIRCLE);
            a.setLineColor(color);
            a.setMarkerColor(color);
            if (java.util.Arrays.stream(testLoss).allMatch(Double::isFinite)) { // runs that logged no test loss draw only the train loss
                var t = loss.addSeries(label + " test", ep, testLoss);
                t.setMarker(SeriesMarkers.CIRCLE);
                t.setLineColor(color);
                t.setMarkerColor(color);
            }
            var tr = loss.addSeries(label + " train", ep, trainLoss);
            tr.setMarker(SeriesMarkers.NONE);
            tr.setLineStyle(SeriesLines.DASH_DASH);
            tr.setLineColor(color);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", label);
            m.put("run", r.dir().toString());
            m.put("model", r.model());
            m.put("op", r.op());
            m.put("method", r.method());
            m.put("epoch", ep);
            m.put("test_acc", testAcc);
            m.put("test_loss", testLoss);
            m.put("train_loss", trainLoss);
            json.add(m);
        }
        Path png = out != null ? out : Path.of("runs", "plot-curves.png");
        if (png.toAbsolutePath().getParent() != null) java.nio.file.Files.createDirectories(png.toAbsolutePath().getParent());
        ChartSheet.write(png, List.of(acc, loss));
        Json.write(PlotInputs.json(png), Map.of("runs", json));
        System.out.println("wrote " + png + " and " + PlotInputs.json(png));
        return 0;
    }

    /** Each run's folder name; where two runs share a name, their paths. */
    static List<String> labels(List<RunRecord> records) {
        List<String> names = records.stream().map(RunRecord::label).toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            String n = names.get(i);
            out.add(names.indexOf(n) != names.lastIndexOf(n) ? records.get(i).dir().toString() : n);
        }
        return out;
    }
}
