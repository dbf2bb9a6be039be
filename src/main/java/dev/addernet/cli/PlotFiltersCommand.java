package dev.addernet.cli;

import dev.addernet.analysis.ChartSheet;
import dev.addernet.analysis.FilterGrid;
import dev.addernet.io.Json;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plot filters}: a network's first-layer filters as an image grid, a panel per network (Universal AdderNets Fig. 5). */
@Command(name = "filters", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw the first layer's filters (default LeNet-5-BN's conv1) as an image grid, a panel per network.")
final class PlotFiltersCommand implements Callable<Integer> {
    @Mixin PlotInputs inputs;
    @Option(names = "--layer", defaultValue = "conv1", description = "The filter layer (default ${DEFAULT-VALUE}).") String layer;

    @Override
    public Integer call() throws Exception {
        List<FilterGrid.Panel> panels = new ArrayList<>();
        List<Map<String, Object>> json = new ArrayList<>();
        for (PlotInputs.Network net : inputs.networks("filters")) {
            WeightsFile.Loaded w = net.load();
            Parameter p = w.model().parameters().get(layer + ".weight");
            if (p == null || p.rank() != 4) {
                throw new IllegalArgumentException(net.weightsFile() + ": " + w.config().model() + " has no filter layer '" + layer
                        + "' (a weight [out, in, k, k])");
            }
            int out = p.dim(0), in = p.dim(1), k = p.dim(2);
            if (in != 1 && in != 3) {
                throw new IllegalArgumentException(net.weightsFile() + ": '" + layer + "' takes " + in + " input channels; filters are drawn for 1 (grey) or 3 (RGB)");
            }
            panels.add(new FilterGrid.Panel(net.label() + " (" + w.config().op() + ") " + layer, p.data, out, in, k));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", net.label());
            m.put("weights", net.weightsFile().toString());
            m.put("op", w.config().op());
            m.put("shape", p.shape());
            m.put("values", p.data);
            json.add(m);
        }
        Path png = inputs.png("filters");
        ChartSheet.writeImage(png, FilterGrid.draw(panels));
        Json.write(PlotInputs.json(png), Map.of("layer", layer, "networks", json));
        System.out.println("wrote " + png + " and " + PlotInputs.json(png));
        return 0;
    }
}
