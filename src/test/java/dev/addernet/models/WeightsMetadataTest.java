package dev.addernet.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.io.FormatException;
import dev.addernet.io.SafeTensors;
import dev.addernet.nn.Module;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A weights file's metadata that cannot rebuild a network is one error naming the file, the key and what was expected. */
class WeightsMetadataTest {
    @TempDir Path tmp;

    Path withConfig(String configJson) throws Exception {
        Path file = tmp.resolve("w.safetensors");
        SafeTensors.writer().put("x", new int[] {1}, new float[1]).metadata("config", configJson).write(file);
        return file;
    }

    static String config(String key, String value) {
        String json = "{\"model\":\"lenet5\",\"op\":\"adder\",\"in_channels\":1,\"image_size\":32,\"num_classes\":10,\"first_last\":true,"
                + "\"feature_dim\":0,\"p\":1.0}";
        return json.replaceFirst("\"" + key + "\":[^,}]*", "\"" + key + "\":" + value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "num_classes | 1000000000 | from 1 to 100000",
            "num_classes | -1         | from 1 to 100000",
            "in_channels | 0          | from 1 to",
            "image_size  | 100000     | from 1 to",
            "feature_dim | -3         | from 0 to",
            "p          | \"NaN\"    | finite",
            "model      | \"resnet21\" | lenet5",
            "op         | \"multiply\" | conv, adder or binary"})
    void aConfigValueOutOfRangeNamesTheKey(String key, String value, String expected) throws Exception {
        Path file = withConfig(config(key, value));
        assertThatThrownBy(() -> WeightsFile.load(file)).isInstanceOf(FormatException.class)
                .hasMessageStartingWith(file + ": metadata 'config': " + key).hasMessageContaining(expected);
    }

    /** The configuration is written in snake_case, as config.json; a file written before names it in camelCase and still loads. */
    @Test
    void theConfigIsSnakeCaseAndOlderCamelCaseFilesStillLoad() throws Exception {
        Module m = Models.build(Models.config("lenet5", "adder", 1, 32, 10, null), 0);
        Path now = tmp.resolve("now.safetensors");
        WeightsFile.save(now, m, Models.config("lenet5", "adder", 1, 32, 10, null), "mnist", java.util.List.of(), null, null);
        assertThat(SafeTensors.read(now).metadata().get("config")).contains("\"num_classes\":10").doesNotContain("numClasses");

        Path before = tmp.resolve("before.safetensors");
        SafeTensors.Writer w = SafeTensors.writer();
        m.state().forEach((n, t) -> w.put(n, t.shape(), t.data));
        w.metadata("config", "{\"model\":\"lenet5\",\"op\":\"adder\",\"inChannels\":1,\"imageSize\":32,\"numClasses\":10,"
                + "\"firstLast\":true,\"featureDim\":0,\"p\":1.0}").write(before);
        assertThat(WeightsFile.load(before).config()).isEqualTo(WeightsFile.load(now).config());
    }

    @Test
    void aConfigThatIsNotJsonNamesTheKey() throws Exception {
        Path file = withConfig("{model: lenet5");
        assertThatThrownBy(() -> WeightsFile.load(file)).isInstanceOf(FormatException.class)
                .hasMessageStartingWith(file + ": metadata 'config': not valid JSON");
    }

    @Test
    void classNamesThatAreNotAListOfStringsNameTheKey() throws Exception {
        Path file = tmp.resolve("w2.safetensors");
        SafeTensors.Writer w = SafeTensors.writer();
        Models.build(Models.config("lenet5", "adder", 1, 32, 10, null), 0).state().forEach((n, t) -> w.put(n, t.shape(), t.data));
        w.metadata("config", config("p", "1.0")).metadata("class_names", "[\"cat\", oops").write(file);
        assertThatThrownBy(() -> WeightsFile.load(file)).isInstanceOf(FormatException.class)
                .hasMessageStartingWith(file + ": metadata 'class_names': not valid JSON");
    }
}
