package dev.addernet.bench;

import dev.addernet.io.Json;
import dev.addernet.kernel.Parallel;
import dev.addernet.models.Models;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our ResNet-20 AdderNet's training step against a PyTorch (oneDNN) CNN ResNet-20's on the same machine:
 * {@code tools/torch_resnet20.py} run as a child process, alternating with our measurement, three pairs,
 * so that a change in the machine's load falls on both sides of a ratio. The median pair's ratio is the
 * figure; the pairs are kept beside it.
 */
final class TorchComparison {
    static final String SCRIPT = "tools/torch_resnet20.py";
    private static final int PAIRS = 3;

    private TorchComparison() {}

    /**
     * Runs the comparison with {@code python} ("auto": {@code python3}, else Debian's {@code /usr/bin/python3},
     * the first that imports torch).
     *
     * @throws IllegalStateException if no Python with PyTorch is found, or the script fails
     */
    static Map<String, Object> run(String python, int threads, int batch, double seconds, PrintStream out) {
        Path script = script();
        String interpreter = interpreter(python);
        ModelBench adder = new ModelBench(Models.config("resnet20", "adder", 3, 32, 10, null));
        Parallel.setThreads(threads);
        List<Map<String, Object>> pairs = new ArrayList<>();
        out.printf("%nResNet-20 training step, batch %d, %d threads: our AdderNet against PyTorch's CNN (%s), alternating:%n",
                batch, threads, script);
        for (int i = 0; i < PAIRS; i++) {
            double ours = adder.trainImagesPerSecond(batch, seconds);
            Map<String, Object> torch = torch(interpreter, script, threads, batch, seconds);
            double theirs = ((Number) torch.get("train_images_per_sec")).doubleValue();
            Map<String, Object> pair = new LinkedHashMap<>();
            pair.put("adder_train_images_per_sec", ours);
            pair.put("torch_cnn_train_images_per_sec", theirs);
            pair.put("ratio", ours / theirs);
            pairs.add(pair);
            out.printf("  pair %d: AdderNet %.1f img/s, PyTorch CNN %.1f img/s (torch %s): %.2fx%n", i + 1, ours, theirs,
                    torch.get("torch"), ours / theirs);
        }
        double median = pairs.stream().mapToDouble(p -> (double) p.get("ratio")).sorted().toArray()[PAIRS / 2];
        out.printf("  AdderNet train / PyTorch CNN train: %.2fx (median pair)%n", median);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("script", SCRIPT);
        r.put("python", interpreter);
        r.put("pairs", pairs);
        r.put("adder_over_torch_cnn_train", median);
        return r;
    }

    private static Path script() {
        String home = System.getProperty("addernet.home");
        Path p = Path.of(home != null ? home : ".").resolve(SCRIPT);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("--vs-torch: " + p + " not found (run bench through bin/addernet, which passes the project's root)");
        }
        return p;
    }

    private static String interpreter(String python) {
        List<String> candidates = python.equals("auto") ? List.of("python3", "/usr/bin/python3") : List.of(python);
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) return c;
            } catch (IOException e) {
                // not installed: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("--vs-torch: no Python with PyTorch among " + candidates
                + " (Debian: apt-get install python3-torch; or --vs-torch=/path/to/python)");
    }

    private static Map<String, Object> torch(String python, Path script, int threads, int batch, double seconds) {
        try {
            Process p = new ProcessBuilder(python, script.toString(), "--threads", Integer.toString(threads), "--batch",
                    Integer.toString(batch), "--seconds", Double.toString(seconds)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String line = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) throw new IllegalStateException("--vs-torch: " + script + " exited with " + p.exitValue());
            @SuppressWarnings("unchecked")
            Map<String, Object> m = Json.mapper().readValue(line, Map.class);
            return m;
        } catch (IOException e) {
            throw new IllegalStateException("--vs-torch: running " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
