package dev.addernet.method.lp;

import dev.addernet.kernel.AdderOptions;
import dev.addernet.method.BatchLoss;
import dev.addernet.method.Evaluator;
import dev.addernet.method.ModelSaver;
import dev.addernet.method.TrainingMethod;
import dev.addernet.models.ModelConfig;
import dev.addernet.nn.AdderLayers;
import dev.addernet.nn.Module;
import dev.addernet.optim.ParameterGroup;
import dev.addernet.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Universal AdderNets Algorithm 1 around another method: the network's adder layers compute
 * -sum |X - W|^p (Eq. 26) with p set from the {@link LpSchedule} before every step (line 8), and each
 * epoch is evaluated, recorded ({@code p} in metrics.jsonl) and saved at the p it ends at, so the weights
 * file holds the p that reproduces the printed test accuracy. The loss is the inner method's: plain
 * cross-entropy for {@code train}, distillation's for a student trained under an Lp recipe.
 */
public final class LpMethod implements TrainingMethod {
    private final LpSchedule schedule;
    private final AdderOptions base;
    private final TrainingMethod inner;
    private double p;

    /** @param base the adder options outside the scheme (its weight-gradient choice is kept) */
    public LpMethod(LpSchedule schedule, AdderOptions base, TrainingMethod inner) {
        this.schedule = schedule;
        this.base = base;
        this.inner = inner;
        this.p = schedule.p(0);
    }

    @Override
    public String name() {
        return inner.name().equals("plain") ? "lp" : inner.name() + "+lp";
    }

    @Override
    public ModelConfig networkConfig(ModelConfig config) {
        return inner.networkConfig(config).withP((float) p);
    }

    @Override
    public List<ParameterGroup> parameterGroups(Module network) {
        return inner.parameterGroups(network);
    }

    @Override
    public void advance(Module network, double epochs) {
        p = schedule.p(epochs);
        AdderLayers.configure(network, new AdderOptions((float) p, schedule.clip(), base.signWeightGradient()));
        inner.advance(network, epochs);
    }

    @Override
    public BatchLoss loss(Module network, Tensor images, int[] labels) {
        return inner.loss(network, images, labels);
    }

    @Override
    public float evaluationLoss(Tensor logits, int[] labels) {
        return inner.evaluationLoss(logits, labels);
    }

    @Override
    public Map<String, Double> epochValues(Evaluator evaluator) {
        Map<String, Double> values = new LinkedHashMap<>(inner.epochValues(evaluator));
        values.put("p", p);
        return values;
    }

    @Override
    public Map<String, Tensor> state() {
        return inner.state(); // p is a function of the progress: nothing to keep
    }

    @Override
    public void saveBeside(Path runFolder, ModelSaver saver) throws IOException {
        inner.saveBeside(runFolder, saver);
    }

    @Override
    public Map<String, Object> summary(List<Map<String, Double>> valuesByEpoch) {
        return inner.summary(valuesByEpoch);
    }
}
