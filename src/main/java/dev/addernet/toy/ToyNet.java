package dev.addernet.toy;

import dev.addernet.nn.BatchNorm;
import dev.addernet.nn.Layers.ReLU;
import dev.addernet.nn.Linear;
import dev.addernet.kernel.Op;
import dev.addernet.nn.Sequential;
import dev.addernet.tensor.Rng;

/**
 * The two-layer networks of Universal AdderNets Sec. 5.1 with n hidden units and one output logit.
 * <ul>
 *   <li>fully connected: linear (with bias), ReLU, linear (with bias);</li>
 *   <li>AdderNet: adder layer, BatchNorm, ReLU, adder layer, BatchNorm. The BatchNorms are the scale a_i
 *       and bias b_i of the paper's Definition 1 (L(X)_i = a_i ||W_i - X||_1 + b_i, Eq. 3): an adder
 *       output alone is <= 0, so without them the sigmoid would never pass 0.5.</li>
 * </ul>
 */
public final class ToyNet {
    /** Which network: the paper's "fully connected" or "AdderNet" row. */
    public enum Kind {
        FC("fc"), ADDER("adder");

        public final String cliName;

        Kind(String cliName) { this.cliName = cliName; }
    }

    private ToyNet() {}

    public static Sequential build(Kind kind, int hidden, Rng rng) {
        if (hidden < 1) throw new IllegalArgumentException("hidden units must be >= 1, got " + hidden);
        Sequential s = new Sequential();
        if (kind == Kind.FC) {
            s.add("fc1", new Linear(Op.CONV, 2, hidden, true, rng));
            s.add("relu", new ReLU());
            s.add("fc2", new Linear(Op.CONV, hidden, 1, true, rng));
        } else {
            s.add("adder1", new Linear(Op.ADDER, 2, hidden, false, rng));
            s.add("bn1", new BatchNorm(hidden));
            s.add("relu", new ReLU());
            s.add("adder2", new Linear(Op.ADDER, hidden, 1, false, rng));
            s.add("bn2", new BatchNorm(1));
        }
        return s;
    }
}
