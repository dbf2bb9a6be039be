package dev.addernet.toy;

import dev.addernet.autograd.SigmoidBinaryCrossEntropy;
import dev.addernet.autograd.Tape;
import dev.addernet.nn.Sequential;
import dev.addernet.optim.LrSchedule;
import dev.addernet.optim.Sgd;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * Trains a toy network as Universal AdderNets Sec. 5.1: sigmoid and binary cross-entropy, SGD with
 * Nesterov momentum 0.9, weight decay 5e-4, a cosine learning rate from 0.1 over all iterations, batch
 * 256; adder layers get the adaptive learning-rate scaling (ALR, Eq. 33) with eta 0.2, as everywhere.
 * Batches are consecutive slices of a seeded shuffle of the training points, reshuffled when used up.
 */
public final class ToyTraining {
    public static final int BATCH = 256, ITERATIONS = 10_000;
    public static final double LR = 0.1, MOMENTUM = 0.9, WEIGHT_DECAY = 5e-4, ETA = 0.2;

    private ToyTraining() {}

    /** Trains {@code net} in place; returns the mean loss of the last 100 iterations (or all, if fewer). */
    public static double train(Sequential net, ToyData data, int iterations, Rng order) {
        net.train(true);
        Sgd sgd = new Sgd(net.parameters(), MOMENTUM, true, WEIGHT_DECAY, ETA, true);
        LrSchedule schedule = LrSchedule.cosinePerStep(LR, 1);
        int n = data.size(), batch = Math.min(BATCH, n);
        int[] perm = identity(n);
        int next = n; // forces a shuffle before the first batch
        double tail = 0;
        int tailCount = 0;
        for (int it = 0; it < iterations; it++) {
            float[] x = new float[2 * batch], y = new float[batch];
            for (int b = 0; b < batch; b++) {
                if (next == n) {
                    shuffle(perm, order);
                    next = 0;
                }
                int i = perm[next++];
                x[2 * b] = data.xy()[2 * i];
                x[2 * b + 1] = data.xy()[2 * i + 1];
                y[b] = data.labels()[i];
            }
            Tensor input = new Tensor(x, batch, 2);
            double loss;
            try (Tape tape = Tape.open()) {
                Tensor l = SigmoidBinaryCrossEntropy.forward(net.forward(input), y);
                loss = l.item();
                tape.backward(l);
            }
            if (!Double.isFinite(loss)) throw new IllegalStateException("toy training diverged at iteration " + it + ": loss " + loss);
            sgd.step(schedule.lr(0, it, iterations));
            if (it >= iterations - 100) {
                tail += loss;
                tailCount++;
            }
        }
        return tailCount == 0 ? Double.NaN : tail / tailCount;
    }

    /** The network's logits in eval mode for points xy (x0, y0, x1, y1, ...), in chunks. */
    public static float[] logits(Sequential net, float[] xy) {
        net.train(false);
        int n = xy.length / 2;
        float[] out = new float[n];
        int chunk = 4096;
        for (int start = 0; start < n; start += chunk) {
            int m = Math.min(chunk, n - start);
            float[] x = java.util.Arrays.copyOfRange(xy, 2 * start, 2 * (start + m));
            Tensor z = net.forward(new Tensor(x, m, 2));
            System.arraycopy(z.data, 0, out, start, m);
        }
        return out;
    }

    /** The fraction of points classified right: class 1 where sigmoid(z) > 0.5, i.e. z > 0. */
    public static double accuracy(Sequential net, ToyData data) {
        float[] z = logits(net, data.xy());
        int right = 0;
        for (int i = 0; i < z.length; i++) if ((z[i] > 0 ? 1 : 0) == data.labels()[i]) right++;
        return (double) right / z.length;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    private static void shuffle(int[] p, Rng rng) {
        for (int i = p.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
    }
}
