package dev.addernet.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;

/** Writes pickle opcodes byte by byte, as torch.save (protocol 2) does, so tests can build any checkpoint. */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Raw bytes: opcodes and their arguments. */
    PickleBytes op(int... bytes) {
        for (int b : bytes) out.write(b);
        return this;
    }

    PickleBytes proto() {
        return op(0x80, 2);
    }

    PickleBytes stop() {
        return op('.');
    }

    PickleBytes mark() {
        return op('(');
    }

    /** GLOBAL 'module\nname\n'. */
    PickleBytes global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(UTF_8));
        return this;
    }

    /** BINUNICODE. */
    PickleBytes str(String s) {
        byte[] b = s.getBytes(UTF_8);
        op('X');
        le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    /** The shortest int opcode, as pickle chooses: BININT1, BININT2, BININT or LONG1. */
    PickleBytes integer(long v) {
        if (v >= 0 && v < 256) return op('K', (int) v);
        if (v >= 0 && v < 65536) {
            op('M');
            return le(v, 2);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            op('J');
            return le(v, 4);
        }
        op(0x8a, 8);
        return le(v, 8);
    }

    /** A tuple of ints: MARK ... TUPLE (EMPTY_TUPLE when empty, TUPLE1 for one, as pickle does). */
    PickleBytes ints(long... values) {
        if (values.length == 0) return op(')');
        if (values.length == 1) return integer(values[0]).op(0x85);
        mark();
        for (long v : values) integer(v);
        return op('t');
    }

    PickleBytes le(long v, int bytes) {
        for (int i = 0; i < bytes; i++) out.write((int) (v >>> (8 * i)) & 0xff);
        return this;
    }

    PickleBytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
