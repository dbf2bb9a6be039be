package dev.addernet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.kernel.Op;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every JSON output gives times in seconds (README, Commands): the bench rows too. */
class BenchJsonTest {
    @Test
    void layerRowTimesAreSeconds() {
        Map<String, Object> row = Bench.layerRow(new int[] {16, 16, 32, 3, 1}, 32, 1, Op.ADDER, 2e9, new double[] {0.5, 1.0, 2.0}, 1e10);
        assertThat(row).containsEntry("fwd_seconds", 0.5).containsEntry("bwd_input_seconds", 1.0).containsEntry("bwd_weight_seconds", 2.0)
                .containsEntry("fwd_gelem_s", 4.0).containsEntry("fwd_efficiency", 0.4);
        assertThat(row.keySet()).noneMatch(k -> k.endsWith("_ms"));
    }

    @Test
    void latencyIsSeconds() {
        Map<String, Object> row = Bench.modelRow("lenet5", "adder", "infer", 1, 1, 500, 0.002);
        assertThat(row).containsEntry("latency_seconds", 0.002);
        assertThat(row.keySet()).noneMatch(k -> k.endsWith("_ms"));
    }

    @Test
    void aStepBreakdownNamesEveryPartAndTheFilterLayersTakeTime() {
        ModelBench mb = new ModelBench(dev.addernet.models.Models.config("lenet5", "adder", 1, 32, 10, null));
        Map<String, Double> parts = mb.stepBreakdown(8, 3);
        assertThat(parts).containsOnlyKeys("step", "filter_layers", "batch_norm", "relu_and_adds", "other_ops", "optimiser", "rest");
        assertThat(parts.get("filter_layers")).isPositive().isLessThan(parts.get("step"));
        assertThat(parts.get("batch_norm")).isPositive();
        assertThat(parts.get("other_ops")).as("pooling and the loss").isPositive();
        assertThat(ModelBench.dataSecondsPerBatch(16, 0.05)).isPositive();
    }
}
