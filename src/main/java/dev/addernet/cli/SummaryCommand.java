package dev.addernet.cli;

import dev.addernet.analysis.ModelSummary;
import dev.addernet.io.Json;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code addernet summary}: a network's layer table (output shapes from a forward pass of one image) and parameters. */
@Command(name = "summary", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print a network's layers (name, op, output shape, parameters) and its total parameters.")
final class SummaryCommand implements Callable<Integer> {
    @Mixin ModelOptions modelOptions;
    @Option(names = "--json", description = "Print one JSON object.") boolean json;

    @Override
    public Integer call() throws Exception {
        ModelConfig cfg = modelOptions.config();
        ModelSummary s = ModelSummary.of(Models.build(cfg, 0), cfg);
        System.out.print(json ? Json.toJson(s.json()) + "\n" : s.table());
        return 0;
    }
}
