package dev.addernet.nn;

import dev.addernet.autograd.Tape;
import dev.addernet.tensor.ArrayPool;
import dev.addernet.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A layer or a network: a forward function with named parameters, buffers (BatchNorm's running
 * statistics) and child modules. State names are dotted paths, as in PyTorch ({@code conv1.weight},
 * {@code layer1.0.bn1.running_mean}), so that checkpoints map onto the reference's names.
 */
public abstract class Module {
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private boolean training = true;

    public abstract Tensor forward(Tensor x);

    /**
     * As {@link #forward}, for a caller that hands x over: nothing else reads it afterwards, so the module may
     * write its result into x's array. ReLU does (its backward reads only its output, and no op before a ReLU
     * reads its own output in its backward); BatchNorm does when no tape records (inference; see
     * {@code Tape.recording}), since its backward reads its input. The default is {@code forward(x)}.
     */
    public Tensor forwardReusing(Tensor x) {
        return forward(x);
    }

    /**
     * For a container that handed t from one child to the next and knows nothing reads it any more: in
     * inference gives its array to {@link ArrayPool} for the next layer output of that size. Not while a
     * tape records (backward reads intermediates) or an observer watches (it may keep what it is shown).
     */
    protected static void discard(Tensor t) {
        if (!Tape.recording() && !LayerObserver.watching()) ArrayPool.give(t.data);
    }

    protected final <M extends Module> M child(String name, M module) {
        children.put(name, module);
        return module;
    }

    protected final Parameter param(String name, Parameter p) {
        params.put(name, p);
        return p;
    }

    protected final Tensor buffer(String name, Tensor t) {
        buffers.put(name, t);
        return t;
    }

    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Switches this module and its children between training and evaluation behaviour. */
    public final Module train(boolean on) {
        training = on;
        children.values().forEach(c -> c.train(on));
        return this;
    }

    public final boolean isTraining() {
        return training;
    }

    /** Every module below this one under its dotted path ({@code layer1.0.conv1}), each before its children, in definition order. */
    public final Map<String, Module> modules() {
        Map<String, Module> out = new LinkedHashMap<>();
        children.forEach((name, c) -> {
            out.put(name, c);
            c.modules().forEach((path, m) -> out.put(name + "." + path, m));
        });
        return out;
    }

    /** Every parameter of the tree under its dotted name, in definition order. */
    public final Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, null);
        return out;
    }

    /** Parameters and buffers: everything a weights file holds. */
    public final Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", null, out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> ps, Map<String, Tensor> all) {
        for (var e : params.entrySet()) {
            if (ps != null) ps.put(prefix + e.getKey(), e.getValue());
            if (all != null) all.put(prefix + e.getKey(), e.getValue());
        }
        if (all != null) buffers.forEach((k, v) -> all.put(prefix + k, v));
        children.forEach((k, c) -> c.collect(prefix + k + ".", ps, all));
    }

    public final long parameterCount() {
        return parameters().values().stream().mapToLong(Tensor::numel).sum();
    }

    /** A short description for layer tables; layers override it. */
    public String describe() {
        return getClass().getSimpleName();
    }
}
