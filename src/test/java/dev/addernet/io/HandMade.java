package dev.addernet.io;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Builds safetensors files byte by byte, so tests can make the broken ones the writer refuses to. */
final class HandMade {

    private HandMade() {}

    /** A file with {@code header} (single quotes become double quotes) followed by {@code data}. */
    static Path file(Path dir, String header, byte[] data) throws IOException {
        byte[] json = header.replace('\'', '"').getBytes(UTF_8);
        return raw(dir, json.length, concat(json, data));
    }

    /** A file with {@code header} followed by {@code dataBytes} zero bytes. */
    static Path file(Path dir, String header, int dataBytes) throws IOException {
        return file(dir, header, new byte[dataBytes]);
    }

    /** A file whose length field says {@code declaredLength}, followed by {@code rest}. */
    static Path raw(Path dir, long declaredLength, byte[] rest) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(declaredLength).put(rest);
        return Files.write(Files.createTempFile(dir, "hand", ".safetensors"), bytes.array());
    }

    /** Little-endian bytes made by {@code fill}. */
    static byte[] le(int size, Consumer<ByteBuffer> fill) {
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(buffer);
        return buffer.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
