package dev.addernet.optim;

import dev.addernet.nn.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameters the optimiser updates under one set of rules, as PyTorch's parameter groups: the network's
 * filters in one group, a method's head or kernels in another (SLAC's covariances at 1/100 of the
 * learning rate, PKKD's kernel widths without weight decay).
 *
 * @param name        what the group is, for messages
 * @param params      the parameters under their checkpoint names (unique across all groups)
 * @param lrScale     the group's learning rate is the schedule's times this
 * @param weightDecay the group's own weight decay, or null for the optimiser's
 * @param alr         whether adder filters in the group get ALR (Universal AdderNets Eq. 33), or null for
 *                    the optimiser's setting; parameters that are not adder filters never get it
 */
public record ParameterGroup(String name, Map<String, Parameter> params, double lrScale, Double weightDecay, Boolean alr) {
    public ParameterGroup {
        if (!(lrScale > 0) || Double.isInfinite(lrScale)) {
            throw new IllegalArgumentException("parameter group '" + name + "': learning-rate scale must be a positive number, got " + lrScale);
        }
        if (weightDecay != null && !(weightDecay >= 0)) {
            throw new IllegalArgumentException("parameter group '" + name + "': weight decay must be >= 0, got " + weightDecay);
        }
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A group with the optimiser's rules. */
    public static ParameterGroup of(String name, Map<String, Parameter> params) {
        return new ParameterGroup(name, params, 1, null, null);
    }

    public ParameterGroup withLrScale(double scale) {
        return new ParameterGroup(name, params, scale, weightDecay, alr);
    }

    public ParameterGroup withWeightDecay(double wd) {
        return new ParameterGroup(name, params, lrScale, wd, alr);
    }

    public ParameterGroup withAlr(boolean on) {
        return new ParameterGroup(name, params, lrScale, weightDecay, on);
    }
}
