package dev.addernet.analysis;

import dev.addernet.models.heads.ClassifierHead;
import dev.addernet.nn.Conv2d;
import dev.addernet.nn.FilterLayer;
import dev.addernet.nn.Linear;
import dev.addernet.nn.Module;
import dev.addernet.kernel.Op;
import dev.addernet.tensor.Shapes;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the operations of one inference the way the AdderNet, PKKD and SLAC tables do (#Mul., #Add.,
 * XNOR), from the filter layers' real shapes in a {@link LayerTrace}. A layer's multiply-accumulates are
 * outputs x (input channels x k x k) per image, and each costs, by the layer's op:
 * <ul>
 *   <li>conv (and full-precision first/last layers): one multiplication and one addition;</li>
 *   <li>adder: two additions, the subtraction x - w and the accumulation (no multiplication; the absolute
 *       value is a sign-bit operation);</li>
 *   <li>binary: one XNOR and one (popcount) addition.</li>
 * </ul>
 * BatchNorm is omitted, as the papers do (Universal AdderNets Sec. 3.1: O(c_out H W) against
 * O(d^2 c_in c_out H W)), and so are pooling, the residual additions and the binary layers' per-channel
 * scale alpha (one multiplication per output, foldable into the next BatchNorm).
 *
 * <p>{@code omitFirstLast} leaves out the first and last filter layers, the convention of the Universal
 * AdderNets tables ("we omit these layers when counting FLOPs"); otherwise they are counted with their
 * own op, the PKKD and SLAC convention (their ANNs' 0.45M multiplications are ResNet-20's first and last layers).
 * A classifier head other than the model's own takes the last layer's place and gives its own count
 * ({@link ClassifierHead#multiplications}); its macs column is its multiplications.
 */
public final class OpCounter {
    /** One filter layer's count. */
    public record Layer(String name, String op, long macs, long mul, long add, long xnor) {}

    /** The count of a network: counted layers, the names of omitted ones, and the totals. */
    public record Count(List<Layer> layers, List<String> omitted, long mul, long add, long xnor) {
        public long macs() {
            return layers.stream().mapToLong(Layer::macs).sum();
        }
    }

    private OpCounter() {}

    public static Count count(LayerTrace trace, boolean omitFirstLast) {
        List<LayerTrace.Entry> filters = trace.layers().stream().filter(e -> isFilter(e.layer())).toList();
        List<Layer> layers = new ArrayList<>();
        List<String> omitted = new ArrayList<>();
        long mul = 0, add = 0, xnor = 0;
        for (int i = 0; i < filters.size(); i++) {
            LayerTrace.Entry e = filters.get(i);
            if (omitFirstLast && (i == 0 || i == filters.size() - 1)) {
                omitted.add(e.name());
                continue;
            }
            Layer l = layer(e);
            layers.add(l);
            mul += l.mul();
            add += l.add();
            xnor += l.xnor();
        }
        return new Count(List.copyOf(layers), List.copyOf(omitted), mul, add, xnor);
    }

    /** A layer the tables count: a filter layer, or a classifier head in place of the last one. */
    static boolean isFilter(Module m) {
        return m instanceof FilterLayer || m instanceof ClassifierHead;
    }

    /** The count of one filter layer call from its output shape and its fan-in. */
    static Layer layer(LayerTrace.Entry e) {
        if (e.layer() instanceof ClassifierHead h) { // full precision: its own count of one image's forward
            return new Layer(e.name(), h.kind(), h.multiplications(), h.multiplications(), h.additions(), 0);
        }
        long outputs = Shapes.numel(e.outputShape()) / e.outputShape()[0]; // per image
        long fanIn;
        Op op;
        switch (e.layer()) {
            case Conv2d c -> {
                fanIn = (long) c.inChannels() * c.kernel() * c.kernel();
                op = c.op();
            }
            case Linear l -> {
                fanIn = l.inFeatures();
                op = l.op();
            }
            default -> throw new IllegalArgumentException("not a filter layer: " + e.name());
        }
        long macs = outputs * fanIn;
        return switch (op) {
            case CONV -> new Layer(e.name(), op.id(), macs, macs, macs, 0);
            case ADDER -> new Layer(e.name(), op.id(), macs, 0, 2 * macs, 0);
            case BINARY -> new Layer(e.name(), op.id(), macs, 0, macs, macs);
        };
    }
}
