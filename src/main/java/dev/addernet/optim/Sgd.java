package dev.addernet.optim;

import dev.addernet.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, Nesterov momentum and weight decay, in PyTorch's order:
 * g' = g + wd * w; v = mu * v + g' (v = g' on the first step); step = nesterov ? g' + mu * v : v;
 * w -= lr * step.
 *
 * <p>Adder filters first get AdderNet's adaptive learning-rate scaling (ALR, Universal AdderNets
 * Eq. 32-33): their total gradient of the step is rescaled to eta * sqrt(k) / ||g||_2 (k = number of
 * elements, norm floored at 1e-12), after the whole backward pass and before weight decay and
 * momentum. With several losses (distillation) it therefore scales their sum.
 */
public final class Sgd {
    private final Map<String, Parameter> params;
    private final double momentum, weightDecay, eta;
    private final boolean nesterov, alr;
    private final Map<String, float[]> velocity = new LinkedHashMap<>();

    public Sgd(Map<String, Parameter> params, double momentum, boolean nesterov, double weightDecay, double eta, boolean alr) {
        if (nesterov && momentum <= 0) throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        this.params = params;
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.eta = eta;
        this.alr = alr;
    }

    /** One update with learning rate lr from the parameters' accumulated gradients, which it then zeroes. */
    public void step(double lr) {
        for (var e : params.entrySet()) {
            Parameter p = e.getValue();
            if (!p.hasGrad()) continue;
            float[] w = p.data, g = p.grad();
            if (alr && p.isAdder()) scaleAdaptive(g, eta);
            float[] v = velocity.get(e.getKey());
            boolean first = v == null;
            if (first && momentum != 0) velocity.put(e.getKey(), v = new float[w.length]);
            for (int i = 0; i < w.length; i++) {
                float d = g[i] + (float) weightDecay * w[i];
                if (momentum != 0) {
                    v[i] = first ? d : (float) momentum * v[i] + d;
                    d = nesterov ? d + (float) momentum * v[i] : v[i];
                }
                w[i] -= (float) lr * d;
            }
            p.zeroGrad();
        }
    }

    /** g *= eta * sqrt(numel) / max(||g||_2, 1e-12): Universal AdderNets Eq. 33. */
    public static void scaleAdaptive(float[] g, double eta) {
        double sq = 0;
        for (float x : g) sq += (double) x * x;
        double scale = eta * Math.sqrt(g.length) / Math.max(Math.sqrt(sq), 1e-12);
        for (int i = 0; i < g.length; i++) g[i] = (float) (g[i] * scale);
    }

    public void zeroGrad() {
        params.values().forEach(Parameter::zeroGrad);
    }

    /** Momentum buffers by parameter name (for checkpoints). */
    public Map<String, float[]> velocity() {
        return velocity;
    }
}
