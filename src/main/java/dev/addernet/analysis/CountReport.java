package dev.addernet.analysis;

import dev.addernet.models.ModelConfig;
import dev.addernet.nn.Module;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code count} command's report: per-layer and total operations of one inference ({@link OpCounter}),
 * latency and energy ({@link CostModel}), with the conventions and sources stated in the output.
 */
public record CountReport(ModelConfig config, int[] input, boolean omitFirstLast, OpCounter.Count count) {

    public static final String CONVENTIONS = "conv MAC = 1 mul + 1 add; adder MAC = 2 add (subtract, accumulate); "
            + "binary MAC = 1 XNOR + 1 popcount add; BatchNorm, pooling, residual additions and the binary scale "
            + "alpha are omitted (PKKD/SLAC tables)";

    public static CountReport of(Module model, ModelConfig cfg, boolean omitFirstLast) {
        LayerTrace trace = LayerTrace.of(model, cfg);
        return new CountReport(cfg, trace.input(), omitFirstLast, OpCounter.count(trace, omitFirstLast));
    }

    public long latencyCycles() {
        return CostModel.latencyCycles(count);
    }

    /** {@code {"model", "op", ..., "total": {"mul", "add", "xnor"}, "layers": [...], "latency_cycles", "energy_pj": {...}}}. */
    public Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", config.model());
        out.put("op", config.op());
        out.put("first_last", config.firstLast() ? "same" : "full");
        out.put("omit_first_last", omitFirstLast);
        out.put("input_shape", input);
        out.put("total", ops(count.mul(), count.add(), count.xnor()));
        out.put("macs", count.macs());
        out.put("layers", count.layers().stream().map(l -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", l.name());
            m.put("op", l.op());
            m.put("macs", l.macs());
            m.putAll(ops(l.mul(), l.add(), l.xnor()));
            return m;
        }).toList());
        out.put("omitted_layers", count.omitted());
        out.put("latency_cycles", latencyCycles());
        out.put("energy_pj", CostModel.energyPj(count));
        out.put("conventions", CONVENTIONS);
        out.put("latency_model", CostModel.LATENCY_SOURCE);
        out.put("energy_source", CostModel.ENERGY_SOURCE);
        out.put("xnor_costing", CostModel.XNOR_COSTING);
        return out;
    }

    private static Map<String, Object> ops(long mul, long add, long xnor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mul", mul);
        m.put("add", add);
        m.put("xnor", xnor);
        return m;
    }

    /** The report for people. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s, op %s, first/last layers %s, one image %s%s%n", config.model(), config.op(),
                config.firstLast() ? "of the network's op" : "full precision", Arrays.toString(input),
                omitFirstLast ? ", first and last layers left out of the count" : ""));
        List<OpCounter.Layer> layers = count.layers();
        int w = Math.max(5, layers.stream().mapToInt(l -> l.name().length()).max().orElse(5));
        String head = "%-" + w + "s  %-6s  %15s  %15s  %15s%n", row = "%-" + w + "s  %-6s  %,15d  %,15d  %,15d%n";
        sb.append(String.format(head, "layer", "op", "mul", "add", "xnor"));
        for (OpCounter.Layer l : layers) sb.append(String.format(row, l.name(), l.op(), l.mul(), l.add(), l.xnor()));
        sb.append(String.format(row, "total", "", count.mul(), count.add(), count.xnor()));
        sb.append(String.format("total: %s mul, %s add, %s XNOR%n", human(count.mul()), human(count.add()), human(count.xnor())));
        if (!count.omitted().isEmpty()) sb.append("left out: ").append(String.join(", ", count.omitted())).append('\n');
        sb.append(String.format("latency: %,d cycles (%s)%n", latencyCycles(), CostModel.LATENCY_SOURCE));
        sb.append(String.format("energy per inference: FP32 %s, INT32 %s, INT8 %s%n", joules(CostModel.energyPj(count, CostModel.FP32)),
                joules(CostModel.energyPj(count, CostModel.INT32)), joules(CostModel.energyPj(count, CostModel.INT8))));
        sb.append("  source: ").append(CostModel.ENERGY_SOURCE).append('\n');
        sb.append("  XNOR: ").append(CostModel.XNOR_COSTING).append('\n');
        sb.append("conventions: ").append(CONVENTIONS).append('\n');
        return sb.toString();
    }

    /** 81.18M, 1.82G: the papers' notation. */
    static String human(long n) {
        if (n >= 1_000_000_000L) return String.format("%.2fG", n / 1e9);
        if (n >= 1_000_000L) return String.format("%.2fM", n / 1e6);
        if (n >= 1_000L) return String.format("%.2fK", n / 1e3);
        return Long.toString(n);
    }

    private static String joules(double pj) {
        if (pj >= 1e6) return String.format("%.3f uJ", pj / 1e6);
        if (pj >= 1e3) return String.format("%.3f nJ", pj / 1e3);
        return String.format("%.1f pJ", pj);
    }
}
