package dev.addernet.analysis;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * First-layer filters as image grids (Universal AdderNets Fig. 5), a panel per network side by side.
 * Each filter is scaled to its own range (its minimum black, its maximum white; per channel together
 * for colour filters), as filter pictures are usually shown: the shapes, not the magnitudes, compare.
 */
public final class FilterGrid {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** One network's filters: weight [out, in, k, k] with in 1 (grey) or 3 (RGB). */
    public record Panel(String title, float[] weight, int out, int in, int k) {}

    private static final int COLUMNS = 8, GAP = 6, TITLE = 24, MARGIN = 12;

    private FilterGrid() {}

    public static BufferedImage draw(List<Panel> panels) {
        int cellPx = 0, w = MARGIN, h = 0;
        int[] widths = new int[panels.size()];
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            int pixel = Math.max(2, 48 / panel.k()), cell = pixel * panel.k();
            int cols = Math.min(COLUMNS, panel.out()), rows = (panel.out() + cols - 1) / cols;
            widths[p] = Math.max(cols * (cell + GAP), 200);
            w += widths[p] + MARGIN;
            h = Math.max(h, TITLE + rows * (cell + GAP) + MARGIN);
            cellPx = Math.max(cellPx, cell);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int x0 = MARGIN;
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(panel.title(), x0, 16);
            int pixel = Math.max(2, 48 / panel.k()), cell = pixel * panel.k();
            int cols = Math.min(COLUMNS, panel.out()), kk = panel.k() * panel.k(), size = panel.in() * kk;
            for (int f = 0; f < panel.out(); f++) {
                float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < size; i++) {
                    min = Math.min(min, panel.weight()[f * size + i]);
                    max = Math.max(max, panel.weight()[f * size + i]);
                }
                float range = max > min ? max - min : 1;
                int fx = x0 + (f % cols) * (cell + GAP), fy = TITLE + (f / cols) * (cell + GAP);
                for (int r = 0; r < panel.k(); r++) {
                    for (int c = 0; c < panel.k(); c++) {
                        int[] rgb = new int[3];
                        for (int ch = 0; ch < 3; ch++) {
                            int src = panel.in() == 1 ? 0 : ch;
                            rgb[ch] = Math.round(255 * (panel.weight()[f * size + src * kk + r * panel.k() + c] - min) / range);
                        }
                        g.setColor(new Color(rgb[0], rgb[1], rgb[2]));
                        g.fillRect(fx + c * pixel, fy + r * pixel, pixel, pixel);
                    }
                }
            }
            x0 += widths[p] + MARGIN;
        }
        g.dispose();
        return img;
    }
}
