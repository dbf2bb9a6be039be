package dev.addernet.nn;

/** Which operation a network's filter layers perform: one model definition yields each network. */
public enum Op {
    /** Ordinary convolution / fully connected layers (the CNN). */
    CONV,
    /** Adder layers: negative L1 distance (the AdderNet). */
    ADDER;

    public static Op parse(String s) {
        for (Op op : values()) if (op.name().equalsIgnoreCase(s)) return op;
        throw new IllegalArgumentException("unknown op '" + s + "': expected conv or adder");
    }

    public String id() {
        return name().toLowerCase();
    }
}
