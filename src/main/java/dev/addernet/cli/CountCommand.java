package dev.addernet.cli;

import dev.addernet.analysis.CountReport;
import dev.addernet.io.Json;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code addernet count}: multiplications, additions and XNORs of one inference, with latency and energy estimates. */
@Command(name = "count", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Count the multiplications, additions and XNOR operations of one inference, per layer and in total, "
                + "from the layer shapes of a forward pass of one image, with the papers' latency model and a 45 nm energy estimate.")
final class CountCommand implements Callable<Integer> {
    @Mixin ModelOptions modelOptions;
    @Option(names = "--omit-first-last", description = "Leave the first and last layers out (the Universal AdderNets tables' convention).")
    boolean omitFirstLast;
    @Option(names = "--json", description = "Print one JSON object.") boolean json;

    @Override
    public Integer call() throws Exception {
        ModelConfig cfg = modelOptions.config();
        CountReport r = CountReport.of(Models.build(cfg, 0), cfg, omitFirstLast);
        System.out.print(json ? Json.toJson(r.json()) + "\n" : r.text());
        return 0;
    }
}
