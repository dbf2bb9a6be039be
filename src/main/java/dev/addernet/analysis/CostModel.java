package dev.addernet.analysis;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency and energy of one inference from its operation counts ({@link OpCounter}), with published
 * per-operation costs.
 *
 * <p>Latency: the model of AdderNet Sec. 4.1 (Universal AdderNets Sec. 5.2): float multiplication 4 cycles,
 * addition 2 cycles, the VIA Nano 2000 latencies in Agner Fog's instruction tables; operations run one
 * after another. An XNOR is taken as 1 cycle, a bitwise op's latency in the same tables (the papers give
 * no figure; one XNOR per cycle ignores the 64 a word-wide instruction does, so it is an upper bound).
 *
 * <p>Energy: 45 nm figures of Horowitz, "Computing's energy problem (and what we can do about it)",
 * ISSCC 2014: FP32 add 0.9 pJ, mul 3.7 pJ; INT32 add 0.1 pJ, mul 3.1 pJ; INT8 add 0.03 pJ, mul 0.2 pJ.
 * Each column prices every multiplication and addition at that precision. Horowitz lists no 1-bit
 * operation, so an XNOR is priced as an INT8 addition (0.03 pJ) in every column: an upper bound, since a
 * 1-bit XNOR gate is far smaller than an 8-bit adder. Memory access, which dominates real chips, is left
 * out, as in the papers' operation counts.
 */
public final class CostModel {
    public static final int MUL_CYCLES = 4, ADD_CYCLES = 2, XNOR_CYCLES = 1;
    public static final double XNOR_PJ = 0.03;

    /** One precision's energy per operation (pJ). */
    public record Precision(String id, double addPj, double mulPj) {}

    public static final Precision FP32 = new Precision("fp32", 0.9, 3.7);
    public static final Precision INT32 = new Precision("int32", 0.1, 3.1);
    public static final Precision INT8 = new Precision("int8", 0.03, 0.2);

    public static final String LATENCY_SOURCE = "float mul 4 cycles, add 2 cycles (VIA Nano 2000, Agner Fog's "
            + "instruction tables, as AdderNet Sec. 4.1); XNOR 1 cycle (assumed: a bitwise op's latency)";
    public static final String ENERGY_SOURCE = "45 nm figures of M. Horowitz, Computing's energy problem (and what "
            + "we can do about it), ISSCC 2014: FP32 add 0.9 pJ, mul 3.7 pJ; INT32 add 0.1 pJ, mul 3.1 pJ; "
            + "INT8 add 0.03 pJ, mul 0.2 pJ; arithmetic only, no memory access";
    public static final String XNOR_COSTING = "an XNOR is priced as an INT8 addition (0.03 pJ) in every column "
            + "(Horowitz lists no 1-bit op; an upper bound) and 1 cycle; the popcount accumulation of a binary "
            + "layer is counted among the additions";

    private CostModel() {}

    public static long latencyCycles(OpCounter.Count c) {
        return MUL_CYCLES * c.mul() + ADD_CYCLES * c.add() + XNOR_CYCLES * c.xnor();
    }

    public static double energyPj(OpCounter.Count c, Precision p) {
        return c.mul() * p.mulPj() + c.add() * p.addPj() + c.xnor() * XNOR_PJ;
    }

    /** Energy (pJ) per precision, keyed fp32, int32, int8, to a tenth of a pJ (written as plain decimals, no exponent). */
    public static Map<String, BigDecimal> energyPj(OpCounter.Count c) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        for (Precision p : new Precision[] {FP32, INT32, INT8}) out.put(p.id(), round(energyPj(c, p)));
        return out;
    }

    // A tenth of a picojoule is finer than these figures are known; BigDecimal keeps JSON from writing 7.3E7.
    private static BigDecimal round(double pj) {
        return BigDecimal.valueOf(pj).setScale(1, RoundingMode.HALF_UP);
    }
}
