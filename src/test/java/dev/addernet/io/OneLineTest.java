package dev.addernet.io;

import dev.addernet.data.DataException;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Messages quote what files hold; line breaks and other control characters in it are escaped, so errors stay one line. */
class OneLineTest {
    @Test
    void controlCharactersAreEscaped() {
        assertThat(OneLine.of("key 'a\nb\r\tc\u0000'")).isEqualTo("key 'a\\nb\\r\\tc\\u0000'");
        assertThat(OneLine.of("plain: é ü")).isEqualTo("plain: é ü");
    }

    @Test
    void formatAndDataExceptionsAreOneLine() {
        assertThat(new FormatException(Path.of("m.pth"), "persistent id 'x\ny'").getMessage()).isEqualTo("m.pth: persistent id 'x\\ny'");
        assertThat(new DataException("a\nb").getMessage()).isEqualTo("a\\nb");
    }
}
