package dev.addernet.toy;

import dev.addernet.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The layout of Universal AdderNets Figs. 2-4: a row per network type (fully connected on top, AdderNet
 * below), a column per hidden-unit count; each panel shows the decision regions (boundary in black) and the training points,
 * titled with the accuracy on those points. Drawn with Java 2D: a region map is an image, not a chart.
 */
public final class ToyFigure {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int PANEL = 240, TITLE = 22, LABEL = 84, MARGIN = 8, HEADER = 26;
    private static final Color REGION_1 = new Color(255, 214, 170), REGION_0 = new Color(200, 222, 255),
            POINT_1 = new Color(214, 96, 0), POINT_0 = new Color(20, 70, 170);

    private ToyFigure() {}

    public static void write(Path png, ToyExperiment ex, List<ToyExperiment.Result> results) throws IOException {
        List<ToyNet.Kind> rows = results.stream().map(ToyExperiment.Result::kind).distinct().sorted().toList();
        List<Integer> cols = results.stream().map(ToyExperiment.Result::hidden).distinct().sorted().toList();
        int w = LABEL + cols.size() * (PANEL + MARGIN), h = HEADER + rows.size() * (PANEL + TITLE + MARGIN);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(ex.task.cliName() + ", seed " + ex.seed, MARGIN, 18);
        for (ToyExperiment.Result r : results) {
            int row = rows.indexOf(r.kind()), col = cols.indexOf(r.hidden());
            int x0 = LABEL + col * (PANEL + MARGIN), y0 = HEADER + row * (PANEL + TITLE + MARGIN);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString("n=" + r.hidden() + "  acc " + String.format("%.1f%%", 100 * r.accuracy()), x0 + 4, y0 + 15);
            panel(g, x0, y0 + TITLE, ex, r);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        for (int row = 0; row < rows.size(); row++) {
            g.setColor(Color.BLACK);
            g.drawString(rows.get(row) == ToyNet.Kind.FC ? "FC" : "AdderNet", 6, HEADER + row * (PANEL + TITLE + MARGIN) + TITLE + PANEL / 2);
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        AtomicFiles.writeBytes(png, bytes.toByteArray());
    }

    /** Each panel shows the square [-extent, extent]^2 (3.5 standard deviations); points beyond it are left out. */
    private static void panel(Graphics2D g, int x0, int y0, ToyExperiment ex, ToyExperiment.Result r) {
        int grid = ToyExperiment.GRID;
        double cell = (double) PANEL / grid;
        for (int row = 0; row < grid; row++) {
            for (int c = 0; c < grid; c++) {
                g.setColor(r.region()[row * grid + c] == 1 ? REGION_1 : REGION_0);
                int xa = x0 + (int) Math.floor(c * cell), xb = x0 + (int) Math.floor((c + 1) * cell);
                int ya = y0 + (int) Math.floor(row * cell), yb = y0 + (int) Math.floor((row + 1) * cell);
                g.fillRect(xa, ya, xb - xa, yb - ya);
            }
        }
        double scale = PANEL / (2 * ex.extent);
        float[] xy = ex.train.xy();
        for (int i = 0; i < ex.train.size(); i++) {
            double px = x0 + (xy[2 * i] + ex.extent) * scale, py = y0 + (ex.extent - xy[2 * i + 1]) * scale;
            if (px < x0 || px >= x0 + PANEL || py < y0 || py >= y0 + PANEL) continue; // beyond 3.5 std: off the panel
            g.setColor(ex.train.labels()[i] == 1 ? POINT_1 : POINT_0);
            g.fillOval((int) Math.round(px) - 1, (int) Math.round(py) - 1, 3, 3);
        }
        // the decision boundary over the points, so that it shows where they hide the regions
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        for (int row = 0; row < grid; row++) {
            for (int c = 0; c < grid; c++) {
                byte here = r.region()[row * grid + c];
                int xe = x0 + (int) Math.round((c + 1) * cell), ye = y0 + (int) Math.round((row + 1) * cell);
                if (c + 1 < grid && r.region()[row * grid + c + 1] != here) {
                    g.drawLine(xe, y0 + (int) Math.round(row * cell), xe, ye);
                }
                if (row + 1 < grid && r.region()[(row + 1) * grid + c] != here) {
                    g.drawLine(x0 + (int) Math.round(c * cell), ye, xe, ye);
                }
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x0, y0, PANEL - 1, PANEL - 1);
    }

}
