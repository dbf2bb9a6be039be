package dev.addernet.nn;

import dev.addernet.tensor.Tensor;

/** Children applied in order; each is named, and the names make up the state's dotted paths. */
public class Sequential extends Module {
    public Sequential add(String name, Module m) {
        child(name, m);
        return this;
    }

    /** Each child's output is read only by the next child, which may reuse it; the caller's x is never overwritten. */
    @Override
    public Tensor forward(Tensor x) {
        final float[] callers = x.data;
        for (Module m : children().values()) x = x.data == callers ? m.forward(x) : m.forwardReusing(x);
        return x;
    }
}
