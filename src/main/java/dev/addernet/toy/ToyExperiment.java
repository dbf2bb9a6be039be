package dev.addernet.toy;

import dev.addernet.nn.Sequential;
import dev.addernet.tensor.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One toy task at one seed: the training and held-out points, then each requested network trained and
 * measured, with its decision regions on a grid for the figure. Every random draw derives from the seed:
 * the points from (seed, task), each network's initialisation and batch order from (seed, kind, n).
 */
public final class ToyExperiment {
    /** Training and held-out points per task, as the issue fixes them. */
    public static final int POINTS = 2000;
    /** Grid cells per side of the decision-region image. */
    public static final int GRID = 160;

    /** One trained network: accuracies are fractions; {@code region} holds 1 where it predicts class 1, row-major from the top. */
    public record Result(ToyNet.Kind kind, int hidden, double accuracy, double heldoutAccuracy, double finalLoss,
                         double seconds, byte[] region) {
        /** The entry of --json's "results". */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("op", kind.cliName);
            m.put("hidden", hidden);
            m.put("accuracy", accuracy);
            m.put("heldout_accuracy", heldoutAccuracy);
            return m;
        }
    }

    public final ToyTask task;
    public final long seed;
    public final ToyData train, heldout;
    /** Half the side of the square the figure shows, centred on the origin: 3.5 standard deviations. */
    public final double extent;

    public ToyExperiment(ToyTask task, long seed) {
        this.task = task;
        this.seed = seed;
        this.train = task.sample(POINTS, Rng.derive(seed, 0, task.ordinal(), 0));
        this.heldout = task.sample(POINTS, Rng.derive(seed, 0, task.ordinal(), 1));
        this.extent = 3.5 * task.std();
    }

    public Result run(ToyNet.Kind kind, int hidden, int iterations) {
        long start = System.nanoTime();
        Sequential net = ToyNet.build(kind, hidden, Rng.derive(seed, 1, kind.ordinal(), hidden));
        double loss = ToyTraining.train(net, train, iterations, Rng.derive(seed, 2, kind.ordinal(), hidden));
        double acc = ToyTraining.accuracy(net, train), held = ToyTraining.accuracy(net, heldout);
        float[] z = ToyTraining.logits(net, gridPoints());
        byte[] region = new byte[z.length];
        for (int i = 0; i < z.length; i++) region[i] = (byte) (z[i] > 0 ? 1 : 0);
        return new Result(kind, hidden, acc, held, loss, (System.nanoTime() - start) / 1e9, region);
    }

    public List<Result> runAll(List<ToyNet.Kind> kinds, List<Integer> hidden, int iterations) {
        List<Result> results = new ArrayList<>();
        for (ToyNet.Kind kind : kinds) for (int n : hidden) results.add(run(kind, n, iterations));
        return results;
    }

    /** The centres of the GRID x GRID cells covering [-extent, extent]^2, row 0 at the top (largest y). */
    float[] gridPoints() {
        float[] xy = new float[2 * GRID * GRID];
        double cell = 2 * extent / GRID;
        for (int r = 0; r < GRID; r++) {
            for (int c = 0; c < GRID; c++) {
                xy[2 * (r * GRID + c)] = (float) (-extent + (c + 0.5) * cell);
                xy[2 * (r * GRID + c) + 1] = (float) (extent - (r + 0.5) * cell);
            }
        }
        return xy;
    }
}
