package dev.addernet.nn;

/** Which operation a network's filter layers perform: one model definition yields each network. */
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

    public static Op parse(String s) {
        for (Op op : values()) if (op.name().equalsIgnoreCase(s)) return op;
        throw new IllegalArgumentException("unknown op '" + s + "': expected conv, adder or binary");
    }

    public String id() {
        return name().toLowerCase();
    }
}
