package dev.addernet.nn;

import dev.addernet.tensor.Tensor;

/** Children applied in order; each is named, and the names make up the state's dotted paths. */
public class Sequential extends Module {
    public Sequential add(String name, Module m) {
        child(name, m);
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : children().values()) x = m.forward(x);
        return x;
    }
}
