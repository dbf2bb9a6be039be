package dev.addernet.analysis;

import dev.addernet.io.AtomicFiles;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots (XChart), written atomically. */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** A line chart of named series over a shared x axis. */
    public record Panel(String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series) {}

    /** Draws panels side by side into one PNG. */
    public static void write(Path png, List<Panel> panels) throws IOException {
        int w = 560, h = 400;
        BufferedImage sheet = new BufferedImage(w * panels.size(), h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            XYChart chart = new XYChartBuilder().width(w).height(h).title(p.title()).xAxisTitle(p.xLabel()).yAxisTitle(p.yLabel()).build();
            chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            for (var s : p.series().entrySet()) {
                XYSeries series = chart.addSeries(s.getKey(), p.x(), s.getValue());
                series.setMarker(SeriesMarkers.CIRCLE);
            }
            g.drawImage(BitmapEncoder.getBufferedImage(chart), i * w, 0, null);
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(sheet, "png", bytes);
        AtomicFiles.writeBytes(png, bytes.toByteArray());
    }

    /** Loss and accuracy per epoch: {@code series} maps a curve name to its values, by panel. */
    public static void curves(Path png, double[] epochs, Map<String, double[]> losses, Map<String, double[]> accuracies)
            throws IOException {
        write(png, List.of(
                new Panel("Loss", "epoch", "cross-entropy", epochs, new LinkedHashMap<>(losses)),
                new Panel("Accuracy", "epoch", "accuracy", epochs, new LinkedHashMap<>(accuracies))));
    }
}
