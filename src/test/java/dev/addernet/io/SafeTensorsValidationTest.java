package dev.addernet.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each broken file is rejected with a message naming the file and the tensor or field at fault. */
class SafeTensorsValidationTest {

    private static final String W = "'w':{'dtype':'F32','shape':[2],'data_offsets':[0,8]}";

    @TempDir
    Path dir;

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        Path file = Files.write(dir.resolve("short.safetensors"), new byte[] {1, 2, 3});
        rejects(file, "file is 3 bytes, too short for the 8-byte header length");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        Path file = HandMade.raw(dir, 1000, "{}".getBytes(UTF_8));
        rejects(file, "header length 1000 exceeds the 2 bytes that follow it");
    }

    @Test
    void absurdHeaderLength() throws IOException {
        rejects(HandMade.raw(dir, 200_000_000L, new byte[16]), "header length 200000000 is over the limit");
        rejects(HandMade.raw(dir, -1L, new byte[16]), "header length 18446744073709551615 is over the limit");
    }

    @Test
    void headerNotJson() throws IOException {
        rejects(HandMade.file(dir, "{'w': nope}", 0), "header is not valid JSON");
        rejects(HandMade.file(dir, "{" + W + "} trailing", 8), "header is not valid JSON");
    }

    @Test
    void headerNotUtf8() throws IOException {
        byte[] header = {'{', '"', (byte) 0xff, '"', ':', '1', '}'};
        rejects(HandMade.raw(dir, header.length, header), "header is not valid JSON");
    }

    @Test
    void headerNotAnObject() throws IOException {
        rejects(HandMade.file(dir, "[1, 2]", 0), "header must be a JSON object, found array");
        rejects(HandMade.file(dir, "   ", 0), "header must be a JSON object, found nothing");
    }

    @Test
    void duplicateTensorName() throws IOException {
        rejects(HandMade.file(dir, "{" + W + "," + W + "}", 8), "header is not valid JSON: Duplicate field 'w'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dtype", "shape", "data_offsets"})
    void entryMissingAField(String field) throws IOException {
        String header = Stream.of("'dtype':'F32'", "'shape':[2]", "'data_offsets':[0,8]")
                .filter(f -> !f.startsWith("'" + field + "'"))
                .collect(Collectors.joining(",", "{'w':{", "}}"));
        rejects(HandMade.file(dir, header, 8), "tensor 'w': missing '" + field + "'");
    }

    @Test
    void entryNotAnObject() throws IOException {
        rejects(HandMade.file(dir, "{'w': 3}", 0),
                "tensor 'w': expected an object with dtype, shape and data_offsets, found number");
    }

    @Test
    void unknownDtype() throws IOException {
        rejects(HandMade.file(dir, "{" + W.replace("F32", "F31") + "}", 8), "tensor 'w': unknown dtype 'F31'");
        rejects(HandMade.file(dir, "{" + W.replace("'F32'", "32") + "}", 8), "tensor 'w': dtype must be a string");
    }

    @Test
    void negativeDimension() throws IOException {
        rejects(HandMade.file(dir, "{'w':{'dtype':'F32','shape':[2,-1],'data_offsets':[0,8]}}", 8),
                "tensor 'w': shape [2,-1]: dimension 1 is negative (-1)");
    }

    @Test
    void nonIntegerShapeOrOffsets() throws IOException {
        rejects(HandMade.file(dir, "{'w':{'dtype':'F32','shape':[2.5],'data_offsets':[0,8]}}", 8),
                "tensor 'w': shape [2.5]: element 0 is 2.5, expected an integer");
        rejects(HandMade.file(dir, "{'w':{'dtype':'F32','shape':2,'data_offsets':[0,8]}}", 8),
                "tensor 'w': shape must be an array of integers, found number");
        rejects(HandMade.file(dir, "{'w':{'dtype':'F32','shape':[2],'data_offsets':[0]}}", 8),
                "tensor 'w': data_offsets [0], expected [begin, end] with two non-negative integers");
        rejects(HandMade.file(dir, "{'w':{'dtype':'F32','shape':[2],'data_offsets':[-8,0]}}", 8),
                "tensor 'w': data_offsets [-8,0], expected [begin, end]");
    }

    @Test
    void offsetsOutsideTheDataSection() throws IOException {
        rejects(HandMade.file(dir, "{'conv1.weight':{'dtype':'F32','shape':[25],'data_offsets':[0,100]}}", 64),
                "tensor 'conv1.weight': data_offsets [0, 100] exceed the 64-byte data section");
    }

    @Test
    void beginAfterEnd() throws IOException {
        rejects(HandMade.file(dir, "{'w':{'dtype':'F32','shape':[1],'data_offsets':[8,4]}}", 8),
                "tensor 'w': data_offsets [8, 4]: begin is after end");
    }

    @Test
    void byteLengthDisagreesWithShape() throws IOException {
        rejects(HandMade.file(dir, "{'w':{'dtype':'F32','shape':[3],'data_offsets':[0,8]}}", 8),
                "tensor 'w': data_offsets [0, 8] hold 8 bytes, but shape [3] of F32 needs 12");
        rejects(HandMade.file(dir, "{'w':{'dtype':'I16','shape':[2147483647,4],'data_offsets':[0,8]}}", 8),
                "tensor 'w': data_offsets [0, 8] hold 8 bytes, but shape [2147483647,4] of I16 needs 17179869176");
        rejects(HandMade.file(dir, "{'w':{'dtype':'U8','shape':[2147483647,2147483647,2147483647],"
                        + "'data_offsets':[0,8]}}", 8),
                "tensor 'w': shape [2147483647,2147483647,2147483647] of U8 has too many elements");
        rejects(HandMade.file(dir, "{'w':{'dtype':'U8','shape':[4294967296],'data_offsets':[0,8]}}", 8),
                "tensor 'w': shape [4294967296]: dimension 0 is 4294967296, over the limit of 2147483647");
    }

    @Test
    void overlappingTensors() throws IOException {
        rejects(HandMade.file(dir, "{'a':{'dtype':'F32','shape':[2],'data_offsets':[0,8]},"
                        + "'b':{'dtype':'F32','shape':[2],'data_offsets':[4,12]}}", 12),
                "tensor 'b': data_offsets [4, 12] overlap tensor 'a' [0, 8]");
    }

    @Test
    void gapInTheDataSection() throws IOException {
        rejects(HandMade.file(dir, "{'b':{'dtype':'F32','shape':[1],'data_offsets':[8,12]},"
                        + "'a':{'dtype':'F32','shape':[1],'data_offsets':[0,4]}}", 12),
                "data section bytes [4, 8) before tensor 'b' are not covered by any tensor");
    }

    @Test
    void trailingBytesInTheDataSection() throws IOException {
        rejects(HandMade.file(dir, "{'a':{'dtype':'F32','shape':[1],'data_offsets':[0,4]}}", 8),
                "data section bytes [4, 8) after tensor 'a' are not covered by any tensor");
        rejects(HandMade.file(dir, "{}", 3), "data section bytes [0, 3) are not covered by any tensor");
    }

    @Test
    void emptyTensorsMayShareAnOffset() throws IOException {
        Path file = HandMade.file(dir, "{'a':{'dtype':'F32','shape':[1],'data_offsets':[0,4]},"
                + "'e':{'dtype':'F32','shape':[0],'data_offsets':[4,4]},"
                + "'b':{'dtype':'F32','shape':[1],'data_offsets':[4,8]},"
                + "'z':{'dtype':'I64','shape':[0],'data_offsets':[0,0]}}", 8);
        assertThat(SafeTensors.read(file).names()).containsExactly("a", "e", "b", "z");
    }

    @Test
    void metadataMustHoldStrings() throws IOException {
        rejects(HandMade.file(dir, "{'__metadata__':{'stride':2}}", 0),
                "__metadata__ 'stride': expected a string, found number");
        rejects(HandMade.file(dir, "{'__metadata__':[]}", 0),
                "__metadata__ must be an object of strings, found array");
    }

    private static AbstractThrowableAssert<?, ?> rejects(Path file, String message) {
        return assertThatThrownBy(() -> SafeTensors.read(file))
                .isInstanceOf(FormatException.class)
                .hasMessageStartingWith(file + ": " + message);
    }
}
