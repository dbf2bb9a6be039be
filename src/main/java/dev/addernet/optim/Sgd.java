package dev.addernet.optim;

import dev.addernet.kernel.ReferenceConv;
import dev.addernet.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, Nesterov momentum and weight decay, in PyTorch's order:
 * g' = g + wd * w; v = mu * v + g' (v = g' on the first step); step = nesterov ? g' + mu * v : v;
 * w -= lr * step. Each {@link ParameterGroup} may scale the learning rate and set its own weight decay
 * and ALR; momentum buffers are kept per parameter under its name, whichever group it is in.
 *
 * <p>Adder filters first get AdderNet's adaptive learning-rate scaling (ALR, Universal AdderNets
 * Eq. 32-33): their total gradient of the step is rescaled to eta * sqrt(k) / ||g||_2 (k = number of
 * elements, norm floored at 1e-12), after the whole backward pass and before weight decay and
 * momentum. With several losses (distillation) it therefore scales their sum.
 */
public final class Sgd {
    private final List<ParameterGroup> groups;
    private final double momentum, weightDecay, eta;
    private final boolean nesterov, alr;
    private final Map<String, float[]> velocity = new LinkedHashMap<>();

    /**
     * @param weightDecay and {@code alr}: the rules of groups that set none of their own
     */
    public Sgd(List<ParameterGroup> groups, double momentum, boolean nesterov, double weightDecay, double eta, boolean alr) {
        if (nesterov && momentum <= 0) throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        Map<String, String> owner = new LinkedHashMap<>();
        for (ParameterGroup g : groups) {
            for (String name : g.params().keySet()) {
                String before = owner.put(name, g.name());
                if (before != null) {
                    throw new IllegalArgumentException("parameter '" + name + "' is in two groups: '" + before + "' and '" + g.name() + "'");
                }
            }
        }
        this.groups = List.copyOf(groups);
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.eta = eta;
        this.alr = alr;
    }

    /** One group of parameters under the optimiser's rules. */
    public Sgd(Map<String, Parameter> params, double momentum, boolean nesterov, double weightDecay, double eta, boolean alr) {
        this(List.of(ParameterGroup.of("network", params)), momentum, nesterov, weightDecay, eta, alr);
    }

    /** One update with learning rate lr (times each group's scale) from the accumulated gradients, which it then zeroes. */
    public void step(double lr) {
        for (ParameterGroup group : groups) {
            float rate = (float) (lr * group.lrScale());
            float wd = (float) (group.weightDecay() != null ? group.weightDecay() : weightDecay);
            boolean adaptive = group.alr() != null ? group.alr() : alr;
            for (var e : group.params().entrySet()) {
                Parameter p = e.getValue();
                if (!p.hasGrad()) continue;
                if (adaptive && p.isAdder()) ReferenceConv.adaptiveLearningRate(p.grad(), eta);
                update(e.getKey(), p, rate, wd);
                p.zeroGrad();
            }
        }
    }

    private void update(String name, Parameter p, float rate, float wd) {
        float[] w = p.data, g = p.grad();
        float[] v = velocity.get(name);
        boolean first = v == null;
        if (first && momentum != 0) velocity.put(name, v = new float[w.length]);
        for (int i = 0; i < w.length; i++) {
            float d = g[i] + wd * w[i];
            if (momentum != 0) {
                v[i] = first ? d : (float) momentum * v[i] + d;
                d = nesterov ? d + (float) momentum * v[i] : v[i];
            }
            w[i] -= rate * d;
        }
    }

    public void zeroGrad() {
        groups.forEach(g -> g.params().values().forEach(Parameter::zeroGrad));
    }

    /** Every parameter of every group under its name (for checkpoints). */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> all = new LinkedHashMap<>();
        groups.forEach(g -> all.putAll(g.params()));
        return all;
    }

    public List<ParameterGroup> groups() {
        return groups;
    }

    /** Momentum buffers by parameter name (for checkpoints). */
    public Map<String, float[]> velocity() {
        return velocity;
    }
}
