package dev.addernet.analysis;

import dev.addernet.models.ModelConfig;
import dev.addernet.models.heads.ClassifierHead;
import dev.addernet.nn.BatchNorm;
import dev.addernet.nn.Conv2d;
import dev.addernet.nn.Layers;
import dev.addernet.nn.Linear;
import dev.addernet.nn.Module;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network's layer table: every layer module in execution order with its op, output shape (from a real
 * forward pass of one image, {@link LayerTrace}) and parameter count, and the network's total parameters
 * (weights, biases and BatchNorm's affine parameters; running statistics are buffers, not parameters).
 */
public record ModelSummary(ModelConfig config, int[] input, long parameters, List<Row> rows) {

    /**
     * One layer.
     *
     * @param op conv, adder or binary for filter layers; batchnorm, relu, maxpool, avgpool or flatten otherwise
     */
    public record Row(String name, String op, String layer, int[] outputShape, long parameters) {}

    public static ModelSummary of(Module model, ModelConfig cfg) {
        LayerTrace trace = LayerTrace.of(model, cfg);
        List<Row> rows = trace.layers().stream()
                .map(e -> new Row(e.name(), kind(e.layer()), e.layer().describe(), e.outputShape(), e.layer().parameterCount()))
                .toList();
        return new ModelSummary(cfg, trace.input(), model.parameterCount(), rows);
    }

    static String kind(Module m) {
        return switch (m) {
            case Conv2d c -> c.op().id();
            case Linear l -> l.op().id();
            case BatchNorm b -> "batchnorm";
            case Layers.ReLU r -> "relu";
            case Layers.MaxPool2d p -> "maxpool";
            case Layers.AvgPool2d p -> "avgpool";
            case Layers.GlobalAvgPool p -> "avgpool";
            case Layers.Flatten f -> "flatten";
            case ClassifierHead h -> h.kind();
            default -> m.getClass().getSimpleName().toLowerCase();
        };
    }

    /** {@code {"model", "op", "first_last", "input_shape", "parameters", "layers": [{"name", "op", "layer", "output_shape", "parameters"}]}}. */
    public Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", config.model());
        out.put("op", config.op());
        out.put("first_last", config.firstLast() ? "same" : "full");
        out.put("input_shape", input);
        out.put("parameters", parameters);
        out.put("layers", rows.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("op", r.op());
            m.put("layer", r.layer());
            m.put("output_shape", r.outputShape());
            m.put("parameters", r.parameters());
            return m;
        }).toList());
        return out;
    }

    /** The table for people: one line per layer, then the total. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s, op %s, first/last layers %s, input %s%n", config.model(), config.op(),
                config.firstLast() ? "of the network's op" : "full precision", Arrays.toString(input)));
        int w = Math.max(4, rows.stream().mapToInt(r -> r.name().length()).max().orElse(4));
        String fmt = "%-" + w + "s  %-9s  %-32s  %-18s  %,12d%n";
        sb.append(String.format("%-" + w + "s  %-9s  %-32s  %-18s  %12s%n", "name", "op", "layer", "output shape", "parameters"));
        for (Row r : rows) sb.append(String.format(fmt, r.name(), r.op(), r.layer(), Arrays.toString(r.outputShape()), r.parameters()));
        sb.append(String.format("total parameters: %,d (%.2fM)%n", parameters, parameters / 1e6));
        return sb.toString();
    }
}
