package dev.addernet.kernel;

/**
 * What a filter layer computes: the one notion of it that models ({@code nn}), the tape ({@code autograd}) and
 * the kernels share. One model definition yields each network; the kernels compute CONV and ADDER (a BINARY
 * layer is a convolution of operands its autograd op binarises), each as {@link ReferenceConv} states.
 */
public enum Op {
    /** Ordinary convolution / fully connected layers (the CNN). */
    CONV,
    /** Adder layers: negative L1 distance (the AdderNet). */
    ADDER,
    /**
     * XNOR-Net layers (Rastegari et al. 2016): input binarised to sign(x), weights to alpha * sign(w) with
     * a per-output-channel alpha = mean |w|; the convolution of the two is XNOR and popcount in hardware.
     */
    BINARY;

    /** The ops the kernels compute; a layer of any op runs as one of them ({@link #computed}). */
    public static final java.util.List<Op> COMPUTED = java.util.List.of(CONV, ADDER);

    /** What the kernels compute for a layer of this op: a BINARY layer convolves its binarised operands. */
    public Op computed() {
        return this == BINARY ? CONV : this;
    }

    public static Op parse(String s) {
        for (Op op : values()) if (op.name().equalsIgnoreCase(s)) return op;
        throw new IllegalArgumentException("unknown op '" + s + "': expected conv, adder or binary");
    }

    public String id() {
        return name().toLowerCase();
    }
}
