package dev.addernet.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One line of {@code metrics.jsonl}: accuracies are fractions in [0, 1], times in seconds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochMetrics(
        int epoch,
        @JsonProperty("train_loss") double trainLoss,
        @JsonProperty("train_acc") double trainAcc,
        @JsonProperty("val_acc") Double valAcc,
        @JsonProperty("test_acc") double testAcc,
        @JsonProperty("test_loss") double testLoss,
        double lr,
        double seconds,
        @JsonProperty("images_per_sec") double imagesPerSec,
        Double p) {}
