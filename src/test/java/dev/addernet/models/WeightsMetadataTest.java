package dev.addernet.models;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.io.FormatException;
import dev.addernet.io.SafeTensors;
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
        String json = "{\"model\":\"lenet5\",\"op\":\"adder\",\"inChannels\":1,\"imageSize\":32,\"numClasses\":10,\"firstLast\":true,"
                + "\"featureDim\":0,\"p\":1.0}";
        return json.replaceFirst("\"" + key + "\":[^,}]*", "\"" + key + "\":" + value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "numClasses | 1000000000 | from 1 to 100000",
            "numClasses | -1         | from 1 to 100000",
            "inChannels | 0          | from 1 to",
            "imageSize  | 100000     | from 1 to",
            "featureDim | -3         | from 0 to",
            "p          | \"NaN\"    | finite",
            "model      | \"resnet21\" | lenet5",
            "op         | \"multiply\" | conv, adder or binary"})
    void aConfigValueOutOfRangeNamesTheKey(String key, String value, String expected) throws Exception {
        Path file = withConfig(config(key, value));
        assertThatThrownBy(() -> WeightsFile.load(file)).isInstanceOf(FormatException.class)
                .hasMessageStartingWith(file + ": metadata 'config': " + key).hasMessageContaining(expected);
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
