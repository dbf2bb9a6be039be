package dev.addernet.train;

import dev.addernet.autograd.Tape;
import dev.addernet.data.loading.Batch;
import dev.addernet.dist.Ranks;
import dev.addernet.method.BatchLoss;
import dev.addernet.method.TrainingMethod;
import dev.addernet.nn.Module;
import dev.addernet.nn.Parameter;
import dev.addernet.optim.Sgd;
import dev.addernet.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One step of synchronous data-parallel training: the batch is cut into a fixed number of shards, each
 * shard's loss and gradient are computed alone from the same weights, and the ranks add the shards'
 * contributions in shard order ({@link Ranks#sumInShardOrder}) before the optimiser's one update, so
 * every rank applies the same update and the result depends on the shard count, never on the ranks.
 *
 * <p>A shard's contribution, weighted by its share of the batch (images / batch images), is one vector:
 * the gradient of every parameter the optimiser updates, a flag per parameter (whether the shard reached
 * it: the optimiser skips, and does not decay, a parameter without a gradient, as in ordinary training),
 * the change of every buffer (BatchNorm's running statistics: each shard normalises with its own batch
 * statistics, and the running statistics move by the shards' weighted mean change), and the shard's loss,
 * correct predictions and the method's named values. The total is the gradient of the batch's mean loss.
 */
final class ShardedStep {
    /** What a step leaves: the batch's mean loss, its correct predictions, the method's values; if not finite, no update. */
    record Result(float loss, long correct, Map<String, Double> values, boolean finite) {}

    private final Module network;
    private final TrainingMethod method;
    private final Sgd optimiser;
    private final int shards;
    private final Ranks ranks;
    private final List<Parameter> params;
    /** Non-parameter state of the network and the method, which forward passes may change. */
    private final List<Tensor> buffers = new ArrayList<>();
    private final int gradLength, bufferLength;
    /** The method's value names, sorted, from the first shard computed; every shard reports the same. */
    private List<String> valueNames;

    ShardedStep(Module network, TrainingMethod method, Sgd optimiser, int shards, Ranks ranks) {
        this.network = network;
        this.method = method;
        this.optimiser = optimiser;
        this.shards = shards;
        this.ranks = ranks;
        this.params = List.copyOf(optimiser.parameters().values());
        for (Tensor t : network.state().values()) if (!(t instanceof Parameter)) buffers.add(t);
        for (Tensor t : method.state().values()) if (!(t instanceof Parameter)) buffers.add(t);
        this.gradLength = params.stream().mapToInt(p -> p.data.length).sum();
        this.bufferLength = buffers.stream().mapToInt(t -> t.data.length).sum();
    }

    Result run(Batch b, double lr, long tag) {
        float[][] start = new float[buffers.size()][];
        for (int i = 0; i < start.length; i++) start[i] = buffers.get(i).data.clone();
        int first = Ranks.firstShard(ranks.rank(), ranks.size(), shards), end = Ranks.firstShard(ranks.rank() + 1, ranks.size(), shards);
        List<float[]> mine = new ArrayList<>();
        for (int s = first; s < end; s++) {
            mine.add(contribution(b, (int) ((long) b.count() * s / shards), (int) ((long) b.count() * (s + 1) / shards), start));
        }
        float[] total = ranks.sumInShardOrder(mine, tag);
        int at = gradLength + params.size() + bufferLength;
        float loss = total[at];
        long correct = (long) total[at + 1];
        Map<String, Double> values = new LinkedHashMap<>();
        for (int j = 0; j < valueNames.size(); j++) values.put(valueNames.get(j), (double) total[at + 2 + j]);
        boolean finite = Float.isFinite(loss);
        if (finite) {
            int g = 0, flag = gradLength;
            for (Parameter p : params) {
                if (total[flag++] > 0) System.arraycopy(total, g, p.grad(), 0, p.data.length);
                g += p.data.length;
            }
            int k = gradLength + params.size();
            for (int i = 0; i < buffers.size(); i++) {
                float[] d = buffers.get(i).data;
                for (int j = 0; j < d.length; j++) d[j] = start[i][j] + total[k + j];
                k += d.length;
            }
            optimiser.step(lr);
        }
        return new Result(loss, correct, values, finite);
    }

    /** Shard [lo, hi) of the batch, computed from the step's weights and buffers {@code start}, which it leaves as they were. */
    private float[] contribution(Batch b, int lo, int hi, float[][] start) {
        int count = hi - lo;
        float w = (float) ((double) count / b.count());
        BatchLoss l = null;
        boolean finite = true;
        if (count > 0) {
            int image = b.channels() * b.height() * b.width();
            Tensor x = new Tensor(Arrays.copyOfRange(b.images(), lo * image, hi * image), count, b.channels(), b.height(), b.width());
            try (Tape tape = Tape.open()) {
                l = method.loss(network, x, Arrays.copyOfRange(b.labels(), lo, hi));
                finite = Float.isFinite(l.total().item()) && Float.isFinite(l.reported());
                if (finite) tape.backward(l.total());
            }
            List<String> names = new ArrayList<>(new TreeMap<>(l.values()).keySet());
            if (valueNames == null) valueNames = names;
            if (!valueNames.equals(names)) throw new IllegalStateException("the method reported values " + names + " after " + valueNames);
        } else if (valueNames == null) {
            throw new IllegalStateException("an empty shard before any other: every shard of the first batch must hold images");
        }
        float[] c = new float[gradLength + params.size() + bufferLength + 2 + valueNames.size()];
        int g = 0, flag = gradLength;
        for (Parameter p : params) {
            if (p.hasGrad()) {
                float[] grad = p.grad();
                for (int i = 0; i < grad.length; i++) c[g + i] = w * grad[i];
                c[flag] = 1;
                p.zeroGrad();
            }
            g += p.data.length;
            flag++;
        }
        int k = gradLength + params.size();
        for (int i = 0; i < buffers.size(); i++) {
            float[] d = buffers.get(i).data;
            for (int j = 0; j < d.length; j++) c[k + j] = (d[j] - start[i][j]) * w;
            System.arraycopy(start[i], 0, d, 0, d.length);
            k += d.length;
        }
        if (l != null) {
            c[k] = finite ? w * l.reported() : Float.NaN;
            c[k + 1] = Trainer.correctCount(l.logits(), Arrays.copyOfRange(b.labels(), lo, hi));
            for (int j = 0; j < valueNames.size(); j++) c[k + 2 + j] = (float) (w * l.values().get(valueNames.get(j)));
        }
        return c;
    }

    /** The error for ranks that do not fit the shards, or null. */
    static String misfit(int ranks, int shards) {
        if (shards == 0) return ranks > 1 ? "--data-parallel " + ranks + " needs a run started with --data-parallel (this one trains without shards)" : null;
        return ranks > shards ? "--data-parallel " + ranks + " must be at most the run's --shards (" + shards + "): every rank computes at least one shard" : null;
    }
}
