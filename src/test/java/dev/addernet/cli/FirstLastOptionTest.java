package dev.addernet.cli;

import static dev.addernet.cli.CliErrorsTest.assertOneErrorLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.io.Json;
import org.junit.jupiter.api.Test;

/** Every command reads {@code --first-last} with the same parser and the same values. */
class FirstLastOptionTest {

    @Test
    void valuesAndTheirMeaning() {
        assertThat(FirstLastOption.parse(null, "adder")).isNull();
        assertThat(FirstLastOption.parse("full", "adder")).isFalse();
        assertThat(FirstLastOption.parse("conv", "binary")).as("conv layers are the full-precision ones").isFalse();
        assertThat(FirstLastOption.parse("same", "binary")).isTrue();
        assertThat(FirstLastOption.parse("adder", "adder")).isTrue();
        assertThat(FirstLastOption.parse("binary", "binary")).isTrue();
        assertThatThrownBy(() -> FirstLastOption.parse("binary", "adder")).hasMessageContaining("--first-last").hasMessageContaining("'binary'");
        assertThatThrownBy(() -> FirstLastOption.parse("half", "adder")).hasMessageContaining("--first-last").hasMessageContaining("'half'");
    }

    @Test
    void everyCommandAcceptsTheSameValues() throws Exception {
        for (String command : new String[] {"summary", "count"}) {
            CliRun conv = CliRun.of(command, "--model", "vgg-small", "--op", "adder", "--first-last", "conv", "--json");
            assertThat(conv.code()).as(conv.err()).isZero();
            JsonNode j = Json.mapper().readTree(conv.out());
            assertThat(j.get("first_last").asText()).as(command).isEqualTo("full");
            CliRun same = CliRun.of(command, "--model", "vgg-small", "--op", "binary", "--first-last", "binary", "--json");
            assertThat(Json.mapper().readTree(same.out()).get("first_last").asText()).as(command).isEqualTo("same");
            assertOneErrorLine(CliRun.of(command, "--model", "vgg-small", "--op", "adder", "--first-last", "binary"), "--first-last", "'binary'");
        }
        for (String value : new String[] {"binary", "half"}) {
            assertOneErrorLine(CliRun.of("train", "--op", "adder", "--first-last", value, "--out", "/nonexistent/run"), "--first-last", "'" + value + "'");
        }
    }
}
