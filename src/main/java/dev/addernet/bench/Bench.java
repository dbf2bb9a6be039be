package dev.addernet.bench;

import dev.addernet.kernel.AdderOptions;
import dev.addernet.kernel.Blocking;
import dev.addernet.kernel.ConvKernels;
import dev.addernet.kernel.Op;
import dev.addernet.kernel.Tuning;
import dev.addernet.kernel.ConvShape;
import dev.addernet.kernel.Parallel;
import dev.addernet.kernel.Peak;
import dev.addernet.analysis.LayerTrace;
import dev.addernet.analysis.OpCounter;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.nn.Module;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark report of {@code addernet bench}: the machine's peak for our register tiles, every
 * distinct ResNet-20 adder layer shape (and the same layer as a convolution) at 1 and all threads, and
 * whole-model training and inference throughput. Returns a JSON-ready map; prints a table as it goes.
 */
public final class Bench {
    /** The distinct filter-layer shapes of ResNet-20 on CIFAR (after the full-precision stem). */
    static final int[][] RESNET20_SHAPES = { // cin, cout, input size, k, stride
        {16, 16, 32, 3, 1}, {16, 32, 32, 3, 2}, {16, 32, 32, 1, 2}, {32, 32, 16, 3, 1},
        {32, 64, 16, 3, 2}, {32, 64, 16, 1, 2}, {64, 64, 8, 3, 1},
    };

    private Bench() {}

    /** A {@link #RESNET20_SHAPES} row as a layer call at {@code batch}, padded as ResNet-20 pads it (k / 2). */
    private static ConvShape shape(int[] l, int batch) {
        return new ConvShape(batch, l[0], l[2], l[2], l[1], l[3], l[4], l[3] / 2);
    }

    /**
     * The whole report; with {@code torchPython} not null (an interpreter, or "auto") also the PyTorch comparison
     * ({@link TorchComparison}).
     */
    public static Map<String, Object> run(int threads, int layerBatch, int modelBatch, double seconds, boolean models, String torchPython,
            PrintStream out) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("jdk", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        report.put("blas", dev.addernet.kernel.Blas.describe());
        report.put("threads", threads);
        report.put("vector_bits", jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize());

        Parallel.setThreads(1);
        double adderPeak = Peak.adderElementsPerSecond(), fmaPeak = Peak.fmaElementsPerSecond();
        report.put("peak", Map.of("adder_gelem_s", adderPeak / 1e9, "fma_gelem_s", fmaPeak / 1e9));
        out.printf("%s, sgemm: %s, %d-bit vectors%n", report.get("jdk"), report.get("blas"), report.get("vector_bits"));
        out.printf("peak (1 core, register-resident tile): |x-w| %.2f G elem/s, FMA %.2f G elem/s%n", adderPeak / 1e9, fmaPeak / 1e9);
        report.put("tuning", Tuning.current().status());
        report.put("derived_blocking", Blocking.derivation());
        out.printf("block widths: tuning %s; derived: %s%n", Tuning.current().status(), Blocking.derivation());

        // JIT warm-up: the tiles are large methods whose C2 compilation takes a second or more on a busy
        // core; without this the first timed row measures the profiling tier instead of the kernel.
        for (Op kind : Op.COMPUTED) {
            int[] l = RESNET20_SHAPES[0];
            LayerBench.time(kind, shape(l, layerBatch), Math.max(1.0, seconds));
        }

        List<Map<String, Object>> layers = new ArrayList<>();
        out.printf("%n%-6s %-22s %3s  %8s %8s %8s  %9s %9s %9s  %s%n", "op", "layer (cin>cout hw k s)", "thr",
                "fwd ms", "bwdX ms", "bwdW ms", "fwd G/s", "bwdX G/s", "bwdW G/s", "fwd/peak bwd/peak");
        for (int[] l : RESNET20_SHAPES) {
            for (int t : threads == 1 ? new int[] {1} : new int[] {1, threads}) {
                Parallel.setThreads(t);
                for (Op kind : Op.COMPUTED) {
                    ConvShape s = shape(l, layerBatch);
                    double[] sec = LayerBench.time(kind, s, seconds);
                    double e = s.elements();
                    double peak = (kind == Op.ADDER ? adderPeak : fmaPeak) * t;
                    Map<String, Object> row = layerRow(l, layerBatch, t, kind, e, sec, peak);
                    layers.add(row);
                    out.printf("%-6s %-22s %3d  %8.3f %8.3f %8.3f  %9.2f %9.2f %9.2f  %5.0f%% %5.0f%%%n", row.get("op"),
                            l[0] + ">" + l[1] + " " + l[2] + " k" + l[3] + " s" + l[4], t, sec[0] * 1e3, sec[1] * 1e3, sec[2] * 1e3,
                            e / sec[0] / 1e9, e / sec[1] / 1e9, e / sec[2] / 1e9,
                            100 * (double) row.get("fwd_efficiency"), 100 * (double) row.get("bwd_efficiency"));
                }
            }
        }
        report.put("layers", layers);

        // Which block width and which tiles each shape ran with (what the rows above measured).
        List<Map<String, Object>> plans = new ArrayList<>();
        out.printf("%nBlock widths (columns; tuned or derived) and tiles per layer:%n");
        for (int[] l : RESNET20_SHAPES) {
            for (Op kind : Op.COMPUTED) {
                ConvShape s = shape(l, layerBatch);
                Map<String, Object> plan = new LinkedHashMap<>();
                plan.put("op", kind.id());
                plan.put("layer", l[0] + ">" + l[1] + " " + l[2] + " k" + l[3] + " s" + l[4]);
                plan.putAll(ConvKernels.describe(kind, AdderOptions.DEFAULT, s));
                plans.add(plan);
                @SuppressWarnings("unchecked") Map<String, Object> f = (Map<String, Object>) plan.get("forward"), b = (Map<String, Object>) plan.get("backward");
                out.printf("  %-6s %-16s fwd %4d %-7s %s, %s: %s%n", kind.id(), plan.get("layer"), f.get("columns"), f.get("source"), f.get("inputs"),
                        f.get("output"), f.get("tiles"));
                out.printf("  %-6s %-16s bwd %4d %-7s input gradient %s; %s%n", "", "", b.get("columns"), b.get("source"), b.get("input_gradient"), b.get("tiles"));
            }
        }
        report.put("plans", plans);

        // The Lp-AdderNet's distance on one ResNet-20 layer, 1 thread: throughput as a fraction of L1's.
        Parallel.setThreads(1);
        ConvShape lpShape = new ConvShape(layerBatch, 32, 16, 16, 32, 3, 1, 1);
        List<Map<String, Object>> lpRows = new ArrayList<>();
        double l1Fwd = 0;
        out.printf("%nLp-AdderNet distance, layer 32>32 16 k3 s1, batch %d, 1 thread:%n", layerBatch);
        for (float p : new float[] {1f, 1.5f, 2f}) {
            double[] sec = LayerBench.time(Op.ADDER, p, lpShape, seconds);
            double e = lpShape.elements(), fwd = e / sec[0];
            if (p == 1f) l1Fwd = fwd;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("p", p);
            row.put("fwd_gelem_s", fwd / 1e9);
            row.put("bwd_input_gelem_s", e / sec[1] / 1e9);
            row.put("fwd_fraction_of_l1", fwd / l1Fwd);
            lpRows.add(row);
            out.printf("  p=%.1f  fwd %6.2f G/s (%3.0f%% of L1)  bwd-input %6.2f G/s%n", p, fwd / 1e9, 100 * fwd / l1Fwd, e / sec[1] / 1e9);
        }
        report.put("lp", lpRows);

        if (models) {
            Parallel.setThreads(threads);
            List<Map<String, Object>> rows = new ArrayList<>();
            out.printf("%n%-9s %-6s %-6s %5s %3s  %10s%n", "model", "op", "phase", "batch", "thr", "images/s");
            for (String model : List.of("resnet20", "lenet5")) {
                for (String op : List.of("adder", "conv")) {
                    boolean lenet = model.equals("lenet5");
                    ModelBench mb = new ModelBench(Models.config(model, op, lenet ? 1 : 3, 32, 10, null));
                    double train = mb.trainImagesPerSecond(modelBatch, seconds * 2);
                    double infer = mb.inferImagesPerSecond(modelBatch, seconds * 2);
                    double latency = mb.latencySeconds(seconds);
                    double allocated = mb.allocatedBytesPerTrainStep(modelBatch);
                    Map<String, Object> trainRow = modelRow(model, op, "train", modelBatch, threads, train, null);
                    trainRow.put("allocated_mib_per_step", allocated / 1048576.0);
                    trainRow.put("allocation_mib_per_sec", allocated / 1048576.0 * train / modelBatch);
                    rows.add(trainRow);
                    rows.add(modelRow(model, op, "infer", modelBatch, threads, infer, null));
                    rows.add(modelRow(model, op, "infer", 1, threads, 1 / latency, latency));
                    out.printf("%-9s %-6s %-6s %5d %3d  %10.1f  (allocates %.1f MiB per step, %.0f MiB/s)%n", model, op, "train",
                            modelBatch, threads, train, allocated / 1048576.0, allocated / 1048576.0 * train / modelBatch);
                    out.printf("%-9s %-6s %-6s %5d %3d  %10.1f%n", model, op, "infer", modelBatch, threads, infer);
                    out.printf("%-9s %-6s %-6s %5d %3d  %10.1f  (latency %.2f ms)%n", model, op, "infer", 1, threads, 1 / latency, latency * 1e3);
                }
            }
            report.put("models", rows);
            report.put("resnet20_adder", resnet20Adder(rows, modelBatch, threads, seconds, out));
            // The heap a batch-256 ResNet-20 AdderNet training step needs: the smallest -Xmx (to 128 MiB) in
            // which three steps complete, found by bisection below the 2 GiB target.
            double[] atCap = heapProbe(256, 2048);
            int fits = Double.isNaN(atCap[0]) ? -1 : 2048;
            if (fits > 0) {
                int fails = 128;
                while (fits - fails > 128) {
                    int mid = (fits + fails) / 2 / 64 * 64;
                    if (Double.isNaN(heapProbe(256, mid)[0])) fails = mid; else fits = mid;
                }
            }
            report.put("peak_heap_mib", fits > 0 ? fits : Double.NaN);
            report.put("max_live_heap_mib", atCap[1]);
            report.put("heap_cap_mib", 2048);
            out.printf("%nResNet-20 AdderNet training steps at batch 256 in a JVM capped at -Xmx2048m: %s; smallest heap cap"
                    + " they run in %s MiB; %s%n",
                    fits > 0 ? "ran" : "FAILED", fits > 0 ? Integer.toString(fits) : "-", Double.isNaN(atCap[1])
                            ? "no full collection was needed at 2048 MiB"
                            : String.format("largest live heap after a full collection at 2048 MiB: %.0f MiB", atCap[1]));
        }
        if (torchPython != null) report.put("vs_torch", TorchComparison.run(torchPython, threads, modelBatch, Math.max(seconds * 4, 3), out));
        return report;
    }

    /**
     * The ResNet-20 AdderNet rows against the machine's limit, and where its training step goes. The limit
     * is the all-thread |x-w| peak of this run: images/s times the adder elements of one image's forward
     * pass (three times that for a training step: the forward, the input gradient, the weight gradient),
     * divided by the peak, is the fraction of the arithmetic ceiling the model reaches.
     */
    static Map<String, Object> resnet20Adder(List<Map<String, Object>> rows, int batch, int threads, double seconds, PrintStream out) {
        ModelConfig cfg = Models.config("resnet20", "adder", 3, 32, 10, null);
        Module model = Models.build(cfg, 0);
        long adderElements = OpCounter.count(LayerTrace.of(model, cfg), false).layers().stream()
                .filter(l -> l.op().equals(Op.ADDER.id())).mapToLong(OpCounter.Layer::macs).sum();
        double peak = Peak.adderElementsPerSecond(threads);
        double train = rate(rows, "train", batch), infer = rate(rows, "infer", batch);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("adder_elements_per_image", adderElements);
        r.put("all_thread_peak_gelem_s", peak / 1e9);
        r.put("infer_fraction_of_limit", infer * adderElements / peak);
        r.put("train_fraction_of_limit", train * 3 * adderElements / peak);
        out.printf("%nResNet-20 AdderNet against the %d-thread |x-w| peak (%.2f G elem/s; %.1f M adder elements per image):"
                + " inference %.0f%%, training %.0f%% of the limit%n", threads, peak / 1e9, adderElements / 1e6,
                100 * (double) r.get("infer_fraction_of_limit"), 100 * (double) r.get("train_fraction_of_limit"));

        Parallel.setThreads(threads);
        Map<String, Double> parts = new ModelBench(cfg).stepBreakdown(batch, Math.max(3, (int) (seconds * 10)));
        double step = parts.get("step"), data = ModelBench.dataSecondsPerBatch(batch, seconds);
        Map<String, Object> shares = new LinkedHashMap<>();
        out.printf("Its training step at batch %d, %d threads: %.1f ms%n", batch, threads, step * 1e3);
        parts.forEach((part, sec) -> {
            if (part.equals("step")) return;
            shares.put(part, sec / step);
            out.printf("  %-15s %7.1f ms  %4.0f%%%n", part.replace('_', ' '), sec * 1e3, 100 * sec / step);
        });
        shares.put("data_loading", data / step);
        out.printf("  %-15s %7.1f ms  %4.0f%%  (CIFAR augmentation of a batch, on the loader's own thread beside the step)%n",
                "data loading", data * 1e3, 100 * data / step);
        r.put("train_step_seconds", step);
        r.put("train_step_shares", shares);
        return r;
    }

    private static double rate(List<Map<String, Object>> rows, String phase, int batch) {
        return rows.stream().filter(r -> r.get("model").equals("resnet20") && r.get("op").equals("adder") && r.get("phase").equals(phase)
                && (int) r.get("batch") == batch).mapToDouble(r -> (double) r.get("images_per_sec")).findFirst().orElseThrow();
    }

    /**
     * Runs {@link HeapProbe} in a child JVM with the heap capped at capMiB; returns {peak used, max live}
     * in MiB, or NaNs if it did not finish (out of memory).
     */
    static double[] heapProbe(int batch, int capMiB) {
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xmx" + capMiB + "m", "-XX:+UseParallelGC",
                    "-cp", System.getProperty("java.class.path"), HeapProbe.class.getName(), Integer.toString(batch), "3")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String line = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0 || line.isEmpty()) return new double[] {Double.NaN, Double.NaN};
            String[] f = line.split("\\s+");
            return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (Exception e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    /** One entry of {@code layers}: sec holds the seconds per call of {forward, backward-input, backward-weight}. */
    static Map<String, Object> layerRow(int[] l, int batch, int threads, Op kind, double elements, double[] sec, double peak) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("cin", l[0]);
        row.put("cout", l[1]);
        row.put("hw", l[2]);
        row.put("k", l[3]);
        row.put("stride", l[4]);
        row.put("batch", batch);
        row.put("threads", threads);
        row.put("op", kind == Op.ADDER ? "adder" : "conv");
        row.put("fwd_seconds", sec[0]);
        row.put("bwd_input_seconds", sec[1]);
        row.put("bwd_weight_seconds", sec[2]);
        row.put("fwd_gelem_s", elements / sec[0] / 1e9);
        row.put("bwd_input_gelem_s", elements / sec[1] / 1e9);
        row.put("bwd_weight_gelem_s", elements / sec[2] / 1e9);
        row.put("fwd_efficiency", elements / sec[0] / peak);
        row.put("bwd_efficiency", 2 * elements / (sec[1] + sec[2]) / peak);
        return row;
    }

    static Map<String, Object> modelRow(String model, String op, String phase, int batch, int threads, double ips, Double latencySeconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model);
        r.put("op", op);
        r.put("phase", phase);
        r.put("batch", batch);
        r.put("threads", threads);
        r.put("images_per_sec", ips);
        if (latencySeconds != null) r.put("latency_seconds", latencySeconds);
        return r;
    }
}
