package dev.addernet.io;

import java.nio.ByteBuffer;

/**
 * The element types of the safetensors format, with their size and their conversions from
 * little-endian bytes. The index {@code i} counts elements, not bytes.
 */
enum DType {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    I64(8), U64(8), F64(8);

    final int size;

    DType(int size) {
        this.size = size;
    }

    /** The type named {@code name} in a header, or null if there is none. */
    static DType parse(String name) {
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }

    boolean isInteger() {
        return switch (this) {
            case BOOL, U8, I8, I16, U16, I32, U32, I64, U64 -> true;
            default -> false;
        };
    }

    /** Element {@code i}, exact for every type except 64-bit integers beyond 2^53. */
    double toDouble(ByteBuffer b, int i) {
        int at = i * size;
        return switch (this) {
            case BOOL -> b.get(at) != 0 ? 1 : 0;
            case U8 -> Byte.toUnsignedInt(b.get(at));
            case I8 -> b.get(at);
            case F8_E5M2 -> f8e5m2(b.get(at));
            case F8_E4M3 -> f8e4m3(b.get(at));
            case I16 -> b.getShort(at);
            case U16 -> Short.toUnsignedInt(b.getShort(at));
            case F16 -> Float.float16ToFloat(b.getShort(at));
            case BF16 -> bf16(b.getShort(at));
            case I32 -> b.getInt(at);
            case U32 -> Integer.toUnsignedLong(b.getInt(at));
            case F32 -> b.getFloat(at);
            case I64 -> b.getLong(at);
            case U64 -> unsignedToDouble(b.getLong(at));
            case F64 -> b.getDouble(at);
        };
    }

    /** Element {@code i} rounded once to the nearest float. */
    float toFloat(ByteBuffer b, int i) {
        int at = i * size;
        return switch (this) {
            // Going through double would round twice for 64-bit integers.
            case I64 -> (float) b.getLong(at);
            case U64 -> unsignedToFloat(b.getLong(at));
            default -> (float) toDouble(b, i);
        };
    }

    /** Element {@code i} of an integer type; a U64 above {@code Long.MAX_VALUE} comes back negative. */
    long toLong(ByteBuffer b, int i) {
        int at = i * size;
        return switch (this) {
            case BOOL -> b.get(at) != 0 ? 1 : 0;
            case U8 -> Byte.toUnsignedLong(b.get(at));
            case I8 -> b.get(at);
            case I16 -> b.getShort(at);
            case U16 -> Short.toUnsignedLong(b.getShort(at));
            case I32 -> b.getInt(at);
            case U32 -> Integer.toUnsignedLong(b.getInt(at));
            case I64, U64 -> b.getLong(at);
            default -> throw new IllegalStateException(this + " is not an integer type");
        };
    }

    private static float bf16(short bits) {
        // bfloat16 is the top half of a float32.
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    private static float f8e5m2(byte bits) {
        // float8 e5m2 is the top half of a float16.
        return Float.float16ToFloat((short) ((bits & 0xff) << 8));
    }

    private static float f8e4m3(byte bits) {
        // The "fn" variant of PyTorch and safetensors: bias 7, no infinities, only S.1111.111 is NaN.
        int exponent = (bits >>> 3) & 0xf;
        int mantissa = bits & 0x7;
        if (exponent == 0xf && mantissa == 0x7) {
            return Float.NaN;
        }
        float magnitude = exponent == 0
                ? mantissa * 0x1p-9f
                : (8 + mantissa) * Math.scalb(1f, exponent - 10);
        return bits < 0 ? -magnitude : magnitude;
    }

    // Halve (keeping the low bit so rounding stays correct), convert, double: the usual unsigned trick.
    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) ((v >>> 1) | (v & 1)) * 2.0;
    }

    private static float unsignedToFloat(long v) {
        return v >= 0 ? v : (float) ((v >>> 1) | (v & 1)) * 2f;
    }
}
