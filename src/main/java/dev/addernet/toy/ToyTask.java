package dev.addernet.toy;

import dev.addernet.tensor.Rng;
import java.util.List;

/**
 * The toy classification problems of Universal AdderNets Sec. 5.1: 2-d points from a zero-mean normal,
 * labelled by a region. The paper's "variance 10" (15 for the multiple balls) is read as the standard
 * deviation: with a variance of 10 (std 3.2) almost no point lies beyond radius 15, every point of the
 * unit ball would be positive and the task trivial.
 */
public enum ToyTask {
    /** Eq. 34: 1 inside radius 10, 0 outside radius 15; the band between is dropped. */
    UNIT_BALL("unit-ball", 10, List.of(1, 2, 3)),
    /** Eq. 35: 1 inside radius 10 around (10, 10) or (-10, -10), else 0. */
    MULTI_BALL("multi-ball", 15, List.of(3, 5, 10)),
    /** Eq. 36: 1 where x * y >= 0, else 0. */
    LINEAR("linear", 10, List.of(1, 2, 3));

    /** The command-line names, as the --task option lists them. */
    public static final String NAMES = "unit-ball, multi-ball, linear";

    private final String cliName;
    private final double std;
    private final List<Integer> defaultHidden;

    ToyTask(String cliName, double std, List<Integer> defaultHidden) {
        this.cliName = cliName;
        this.std = std;
        this.defaultHidden = defaultHidden;
    }

    public String cliName() { return cliName; }

    /** The standard deviation of each coordinate. */
    public double std() { return std; }

    /** The paper's hidden-unit counts for this task (Figs. 2-4). */
    public List<Integer> defaultHidden() { return defaultHidden; }

    public static ToyTask parse(String name) {
        for (ToyTask t : values()) if (t.cliName.equals(name)) return t;
        throw new IllegalArgumentException("unknown toy task '" + name + "': expected " + NAMES);
    }

    /** 1 or 0 for a point of this task, or -1 for a point the task drops (the unit ball's margin). */
    public int label(double x, double y) {
        return switch (this) {
            case UNIT_BALL -> {
                double r = Math.hypot(x, y);
                yield r < 10 ? 1 : r > 15 ? 0 : -1;
            }
            case MULTI_BALL -> Math.hypot(x - 10, y - 10) < 10 || Math.hypot(x + 10, y + 10) < 10 ? 1 : 0;
            case LINEAR -> x * y >= 0 ? 1 : 0;
        };
    }

    /** {@code count} labelled points drawn from N(0, std^2 I), dropped points redrawn. */
    public ToyData sample(int count, Rng rng) {
        float[] xy = new float[2 * count], labels = new float[count];
        for (int kept = 0; kept < count; ) {
            float x = (float) (rng.nextGaussian() * std), y = (float) (rng.nextGaussian() * std);
            int label = label(x, y);
            if (label < 0) continue;
            xy[2 * kept] = x;
            xy[2 * kept + 1] = y;
            labels[kept++] = label;
        }
        return new ToyData(xy, labels);
    }
}
