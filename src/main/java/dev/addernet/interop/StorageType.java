package dev.addernet.interop;

import java.nio.ByteBuffer;

/**
 * The typed storages a torch checkpoint names ({@code torch.FloatStorage} ...): their element size and
 * how one little-endian element becomes a float. These are the only torch classes a checkpoint may name
 * besides the tensor rebuild functions.
 */
enum StorageType {
    FLOAT("FloatStorage", 4, true),
    DOUBLE("DoubleStorage", 8, true),
    HALF("HalfStorage", 2, true),
    BFLOAT16("BFloat16Storage", 2, true),
    LONG("LongStorage", 8, false),
    INT("IntStorage", 4, false),
    SHORT("ShortStorage", 2, false),
    CHAR("CharStorage", 1, false), // int8
    BYTE("ByteStorage", 1, false), // uint8
    BOOL("BoolStorage", 1, false);

    final String pythonName;
    final int size;
    final boolean floating;

    StorageType(String pythonName, int size, boolean floating) {
        this.pythonName = pythonName;
        this.size = size;
        this.floating = floating;
    }

    /** The type called {@code torch.<name>}, or null. */
    static StorageType byName(String name) {
        for (StorageType t : values()) {
            if (t.pythonName.equals(name)) return t;
        }
        return null;
    }

    /** Element {@code i} of little-endian {@code b}, rounded once to float. */
    float get(ByteBuffer b, int i) {
        int at = i * size;
        return switch (this) {
            case FLOAT -> b.getFloat(at);
            case DOUBLE -> (float) b.getDouble(at);
            case HALF -> Float.float16ToFloat(b.getShort(at));
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16); // the top half of a float32
            case LONG -> (float) b.getLong(at);
            case INT -> (float) b.getInt(at);
            case SHORT -> b.getShort(at);
            case CHAR -> b.get(at);
            case BYTE -> Byte.toUnsignedInt(b.get(at));
            case BOOL -> b.get(at) != 0 ? 1f : 0f;
        };
    }

    @Override
    public String toString() {
        return "torch." + pythonName;
    }
}
