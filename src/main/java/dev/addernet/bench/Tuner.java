package dev.addernet.bench;

import dev.addernet.analysis.LayerTrace;
import dev.addernet.io.Json;
import dev.addernet.kernel.Blocking;
import dev.addernet.kernel.ConvShape;
import dev.addernet.kernel.Op;
import dev.addernet.kernel.Parallel;
import dev.addernet.kernel.Tuning;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.nn.Conv2d;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code addernet tune}: times every filter layer of the given models (as AdderNet and as CNN) at a range of
 * column-block widths, per phase, and writes the fastest of each to this machine's tuning file ({@link Tuning}),
 * which every later command reads ({@link Blocking}). The widths are tried in rounds, each round trying every
 * width once, and each width keeps its best time: a neighbour's burst on a shared machine then slows one trial,
 * not one width. A width replaces the derived one only when it is faster by more than {@link #MARGIN}.
 */
public final class Tuner {
    /** How much faster than the derived width a tuned one must be to be kept: below it, noise decides. */
    static final double MARGIN = 0.05;
    private static final int ROUNDS = 5;

    private Tuner() {}

    /** The distinct (op, shape) filter layers of {@code model} built as {@code op} on its standard input, at {@code batch}. */
    static Map<String, Map.Entry<Op, ConvShape>> layers(String model, String op, int batch) {
        ModelConfig cfg = Models.standard(model, op, null, 0, 0);
        Map<String, Map.Entry<Op, ConvShape>> out = new LinkedHashMap<>();
        for (LayerTrace.Entry e : LayerTrace.of(Models.build(cfg, 0), cfg).layers()) {
            if (!(e.layer() instanceof Conv2d c)) continue;
            int[] in = e.inputShape();
            ConvShape s = new ConvShape(batch, c.inChannels(), in[2], in[3], c.outChannels(), c.kernel(), c.stride(), c.pad());
            Op kind = c.op().computed();
            out.putIfAbsent(Blocking.key(kind, s, Blocking.Phase.FORWARD), Map.entry(kind, s));
        }
        return out;
    }

    /**
     * Tunes the layers of {@code models} and writes {@code file}; returns the
     * file's contents. {@code seconds}: the time budget of one trial.
     */
    public static Map<String, Object> run(List<String> models, int batch, int threads, double seconds, Path file, PrintStream out)
            throws IOException {
        Parallel.setThreads(threads);
        Map<String, Map.Entry<Op, ConvShape>> layers = new LinkedHashMap<>();
        for (String model : models) {
            for (String op : List.of("adder", "conv")) layers.putAll(layers(model, op, batch));
        }
        out.printf("tuning the column-block width of %d filter layers (%s), batch %d, %d threads, %d rounds of %.2f s trials%n",
                layers.size(), String.join(", ", models), batch, threads, ROUNDS, seconds);
        out.printf("derived widths: %s%n", Blocking.derivation());
        Map<String, Integer> chosen = new LinkedHashMap<>();
        Map<String, Map<Integer, Double>> trials = new LinkedHashMap<>();
        int done = 0;
        try {
            for (Map.Entry<Op, ConvShape> layer : layers.values()) {
                Op kind = layer.getKey();
                ConvShape s = layer.getValue();
                LayerBench.Calls calls = LayerBench.calls(kind, 1f, s);
                for (Blocking.Phase phase : Blocking.Phase.values()) {
                    String key = Blocking.key(kind, s, phase);
                    int derived = Blocking.derivedColumns(kind, phase, Blocking.packedRows(s, phase));
                    Runnable call = phase == Blocking.Phase.FORWARD ? calls.forward() : calls.backward();
                    Map<Integer, Double> best = new LinkedHashMap<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int width : candidates(s, derived)) {
                            Blocking.force(width);
                            double sec = Timing.best(call, seconds, round == 0 ? seconds : seconds * 0.2);
                            best.merge(width, sec, Math::min);
                        }
                    }
                    Blocking.force(0);
                    int fastest = best.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
                    double gain = best.get(derived) / best.get(fastest);
                    boolean keep = fastest != derived && gain > 1 + MARGIN;
                    if (keep) chosen.put(key, fastest);
                    trials.put(key, best);
                    out.printf("  [%d/%d] %-36s derived %4d: %8.3f ms   fastest %4d: %8.3f ms (%.2fx)%s%n", ++done, 2 * layers.size(), key,
                            derived, best.get(derived) * 1e3, fastest, best.get(fastest) * 1e3, gain, keep ? "  -> tuned" : "");
                }
            }
        } finally {
            Blocking.force(0);
        }
        Map<String, Object> contents = Tuning.contents(chosen, trials, threads, batch);
        Json.write(file, contents);
        Tuning.reload();
        out.printf("wrote %s: %d of %d widths tuned (the rest keep the derived width)%n", file, chosen.size(), trials.size());
        return contents;
    }

    /** Powers of two times the tile width, up to the call's whole width, and the derived width. */
    static TreeSet<Integer> candidates(ConvShape s, int derived) {
        TreeSet<Integer> widths = new TreeSet<>();
        widths.add(derived);
        long all = (long) s.n() * s.positions();
        for (int w = Blocking.tileColumns(); w <= Blocking.MAX_COLUMNS; w *= 2) {
            widths.add(w);
            if (w >= all) break;
        }
        return widths;
    }
}
