package dev.addernet.cli;

import dev.addernet.io.Json;
import dev.addernet.kernel.Parallel;
import dev.addernet.toy.ToyExperiment;
import dev.addernet.toy.ToyFigure;
import dev.addernet.toy.ToyNet;
import dev.addernet.toy.ToyTask;
import dev.addernet.toy.ToyTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code addernet toy}: Universal AdderNets' toy universal-approximation experiments (Sec. 5.1, Figs. 2-4). */
@Command(name = "toy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train two-layer fully connected nets and AdderNets on a 2-d toy task (Universal AdderNets Sec. 5.1) "
                + "and draw their decision regions.")
final class ToyCommand implements Callable<Integer> {
    @Option(names = "--task", defaultValue = "unit-ball", description = "unit-ball (Eq. 34), multi-ball (Eq. 35) or linear (Eq. 36); default ${DEFAULT-VALUE}.")
    String task;
    @Option(names = "--hidden", split = ",", description = "Hidden units, e.g. 1,2,3 (default: the paper's: 1,2,3; multi-ball 3,5,10).")
    List<Integer> hidden;
    @Option(names = "--op", defaultValue = "both", description = "adder, fc or both (default ${DEFAULT-VALUE}).")
    String op;
    @Option(names = "--seed", defaultValue = "0", converter = Ranges.Seed.class, description = "Seed of the data and the nets: any 64-bit integer.")
    long seed;
    @Option(names = "--iterations", defaultValue = "10000", converter = Ranges.Positive.class,
            description = "Training iterations, at least 1 (the paper: ${DEFAULT-VALUE}).")
    int iterations;
    @Option(names = "--threads", defaultValue = "1", converter = Ranges.Threads.class,
            description = "Kernel threads, from 1 to 4096 (default ${DEFAULT-VALUE}: the nets are tiny).")
    int threads;
    @Option(names = "--out", description = "Output folder (default runs/toy-<task>-s<seed>).") Path out;
    @Option(names = "--json", description = "Print {\"task\", \"results\": [{\"op\", \"hidden\", \"accuracy\", \"heldout_accuracy\"}]}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ToyTask t = ToyTask.parse(task);
        List<ToyNet.Kind> kinds = switch (op) {
            case "both" -> List.of(ToyNet.Kind.FC, ToyNet.Kind.ADDER);
            case "fc" -> List.of(ToyNet.Kind.FC);
            case "adder" -> List.of(ToyNet.Kind.ADDER);
            default -> throw new IllegalArgumentException("--op: unknown '" + op + "', expected adder, fc or both");
        };
        List<Integer> ns = hidden != null ? hidden.stream().distinct().sorted().toList() : t.defaultHidden();
        for (int n : ns) if (n < 1 || n > 1000) throw new IllegalArgumentException("--hidden: " + n + " hidden units, expected 1 to 1000");
        if (iterations < 1) throw new IllegalArgumentException("--iterations: expected >= 1, got " + iterations);
        Path dir = out != null ? out : Path.of("runs", "toy-" + t.cliName() + "-s" + seed);
        Files.createDirectories(dir);

        ToyExperiment ex = new ToyExperiment(t, seed);
        List<ToyExperiment.Result> results = new ArrayList<>();
        // the kernels' thread count is process-wide: set for these runs, then given back (tests share the JVM)
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            train(ex, kinds, ns, results);
        } finally {
            Parallel.setThreads(before);
        }
        Path png = dir.resolve(t.cliName() + ".png");
        ToyFigure.write(png, ex, results);
        Json.write(dir.resolve("results.json"), resultsFile(t, results));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("task", t.cliName());
            o.put("results", results.stream().map(ToyExperiment.Result::json).toList());
            System.out.println(Json.toJson(o));
        } else {
            System.out.println("wrote " + png + " and " + dir.resolve("results.json"));
        }
        return 0;
    }

    private void train(ToyExperiment ex, List<ToyNet.Kind> kinds, List<Integer> ns, List<ToyExperiment.Result> results) {
        for (ToyNet.Kind kind : kinds) {
            for (int n : ns) {
                ToyExperiment.Result r = ex.run(kind, n, iterations);
                results.add(r);
                if (!json) System.out.printf("%-5s n=%-3d accuracy %6.2f%%  held-out %6.2f%%  final loss %.4f  %.1f s%n",
                        kind.cliName, n, 100 * r.accuracy(), 100 * r.heldoutAccuracy(), r.finalLoss(), r.seconds());
            }
        }
    }

    /** What results.json holds: the settings that made it and, per network, --json's fields plus the final loss and time. */
    private Map<String, Object> resultsFile(ToyTask t, List<ToyExperiment.Result> results) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("task", t.cliName());
        o.put("seed", seed);
        o.put("std", t.std());
        o.put("training_points", ToyExperiment.POINTS);
        o.put("heldout_points", ToyExperiment.POINTS);
        o.put("iterations", iterations);
        o.put("batch", ToyTraining.BATCH);
        o.put("lr", ToyTraining.LR);
        o.put("eta", ToyTraining.ETA);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ToyExperiment.Result r : results) {
            Map<String, Object> m = r.json();
            m.put("final_loss", r.finalLoss());
            m.put("seconds", r.seconds());
            rows.add(m);
        }
        o.put("results", rows);
        return o;
    }
}
