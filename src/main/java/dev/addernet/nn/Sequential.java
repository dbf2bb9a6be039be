package dev.addernet.nn;

import dev.addernet.tensor.Tensor;

/** Children applied in order; each is named, and the names make up the state's dotted paths. */
public class Sequential extends Module {
    public Sequential add(String name, Module m) {
        child(name, m);
        return this;
    }

    /**
     * Each child's output is read only by the next child, which may reuse it, and is discarded (see
     * {@link Module#discard}) once that child has returned something else; the caller's x is never overwritten.
     */
    @Override
    public Tensor forward(Tensor x) {
        final float[] callers = x.data;
        for (Module m : children().values()) {
            if (x.data == callers) {
                x = m.forward(x);
                continue;
            }
            Tensor y = m.forwardReusing(x);
            if (y.data != x.data) discard(x);
            x = y;
        }
        return x;
    }
}
