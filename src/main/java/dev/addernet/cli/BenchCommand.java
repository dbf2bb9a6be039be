package dev.addernet.cli;

import dev.addernet.bench.Bench;
import dev.addernet.io.Json;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code addernet bench}: kernel and model throughput against the machine's measured peak. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure adder and convolution kernels and whole models.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object (no table).") boolean json;
    @Option(names = "--threads", converter = Ranges.Threads.class,
            description = "Threads for the multi-threaded rows, from 1 to 4096 (default: all cores).") Integer threads;
    @Option(names = "--batch", defaultValue = "64", converter = Ranges.Positive.class,
            description = "Batch of the whole-model rows: at least 1 (default ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--layer-batch", defaultValue = "32", converter = Ranges.Positive.class,
            description = "Batch of the layer rows: at least 1 (default ${DEFAULT-VALUE}).") int layerBatch;
    @Option(names = "--seconds", defaultValue = "0.6", converter = Ranges.PositiveSeconds.class,
            description = "Time budget per measurement: above 0 and at most 3600 (default ${DEFAULT-VALUE}).") double seconds;
    @Option(names = "--no-models", description = "Only the peak and the layer rows.") boolean noModels;
    @Option(names = "--vs-torch", arity = "0..1", fallbackValue = "auto", paramLabel = "PYTHON",
            description = "Also time a PyTorch CNN ResNet-20 training step (tools/torch_resnet20.py) against our AdderNet's,"
                    + " alternating, three pairs; PYTHON is an interpreter with torch (default: python3, else /usr/bin/python3).")
    String vsTorch;

    @Override
    public Integer call() {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        PrintStream table = json ? new PrintStream(OutputStream.nullOutputStream()) : System.out;
        Map<String, Object> report = Bench.run(t, layerBatch, batch, seconds, !noModels, vsTorch, table);
        if (json) System.out.println(Json.toPrettyJson(report));
        return 0;
    }
}
