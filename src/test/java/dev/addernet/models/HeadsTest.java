package dev.addernet.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.io.Json;
import org.junit.jupiter.api.Test;

/** The head a configuration names: recorded with the weights, read as the model's own when a file predates it. */
class HeadsTest {
    @Test
    void aConfigurationWithoutAHeadReadsAsTheModelsOwn() throws Exception {
        String before = "{\"model\":\"lenet5\",\"op\":\"adder\",\"inChannels\":1,\"imageSize\":32,\"numClasses\":10,\"firstLast\":true,"
                + "\"featureDim\":0,\"p\":1.0}";
        ModelConfig c = Json.mapper().readValue(before, ModelConfig.class);
        assertThat(c.head()).isEqualTo("linear");
        assertThat(Json.toJson(c)).contains("\"head\":\"linear\"");
        assertThat(Json.mapper().readValue(Json.toJson(c.withP(1.5f)), ModelConfig.class)).isEqualTo(c.withP(1.5f));
    }

    @Test
    void anUnknownHeadIsRefusedWithTheListOfHeads() {
        ModelConfig c = Models.config("lenet5", "adder", 1, 32, 10, null).withHead("arcface");
        assertThatThrownBy(() -> Models.build(c, 0)).hasMessageContaining("unknown head 'arcface'").hasMessageContaining("linear");
    }
}
