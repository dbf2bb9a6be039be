package dev.addernet.train;

import dev.addernet.data.source.SyntheticCifar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ResNet-20 AdderNet learns a rule from a 2,000-image CIFAR-format data set within a few epochs. */
class ResNetCifarTrainingTest {
    @TempDir Path tmp;

    @Test
    void resnet20AdderNetLearnsOnCifarFormatData() throws Exception {
        Path data = SyntheticCifar.write(tmp.resolve("cifar"), 2000, 500, 11);
        TrainConfig cfg = new TrainConfig("resnet20", "adder", null, "cifar10", data.toString(), 4, 64, 0.1, "cosine-epoch", "sgd",
                0.9, 5e-4, 0.2, true, 0, 2, 0, 0, 0, null, 0, null, new dev.addernet.method.plain.PlainSettings(), 0);
        Map<String, Object> summary = new Trainer(cfg, tmp.resolve("run"), new PrintStream(new ByteArrayOutputStream()), TrainerTest.listeners())
                .run(false, 0, Map.of());
        List<String> lines = Files.readAllLines(tmp.resolve("run/metrics.jsonl"));
        double firstLoss = Json.mapper().readTree(lines.get(0)).get("train_loss").asDouble();
        double lastLoss = Json.mapper().readTree(lines.get(lines.size() - 1)).get("train_loss").asDouble();
        assertThat(lastLoss).as("train loss falls").isLessThan(0.5 * firstLoss);
        assertThat((double) summary.get("final_test_acc")).as("well above the 10% of chance").isGreaterThan(0.5);
    }
}
