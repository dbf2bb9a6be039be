package dev.addernet.analysis;

import dev.addernet.io.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** XChart charts laid side by side into one PNG, written atomically (the plot command's figures). */
public final class ChartSheet {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Ten distinguishable colours, one per class (matplotlib's "tab10"). */
    public static final Color[] CLASS_COLORS = {
            new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
            new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
            new Color(188, 189, 34), new Color(23, 190, 207)};

    private ChartSheet() {}

    /** A chart with a white background and the given titles. */
    public static XYChart chart(int width, int height, String title, String xLabel, String yLabel) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        return c;
    }

    public static void write(Path png, List<XYChart> charts) throws IOException {
        int w = 0, h = 0;
        for (XYChart c : charts) {
            w += c.getWidth();
            h = Math.max(h, c.getHeight());
        }
        BufferedImage sheet = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int x = 0;
        for (XYChart c : charts) {
            g.drawImage(BitmapEncoder.getBufferedImage(c), x, 0, null);
            x += c.getWidth();
        }
        g.dispose();
        writeImage(png, sheet);
    }

    public static void writeImage(Path png, BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        AtomicFiles.writeBytes(png, bytes.toByteArray());
    }
}
