package dev.addernet.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.addernet.io.FormatException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal reader of Python pickles (the binary opcodes of protocols 2 to 4, those {@code torch.save}
 * writes) that never runs anything. A pickle is a program for a small stack machine; Python's own
 * unpickler imports any global the program names and calls it, which is how a malicious checkpoint
 * runs code. Here a global is only a name: {@code GLOBAL} is refused unless the {@link Hooks} allow it,
 * and the opcodes that would call something ({@code REDUCE}, {@code BINPERSID}) are handed to the hooks,
 * which build plain Java values.
 *
 * <p>Values may nest at most {@link #MAX_DEPTH} deep. Running the pickle needs no recursion, but using
 * its value does (checking and hashing a tuple used as a dict key, for one), so a pickle of a few hundred
 * kilobytes nesting a value a hundred thousand levels deep would otherwise end in a StackOverflowError
 * instead of an error naming the file.
 *
 * <p>Python values become: {@code None} null, {@code bool} Boolean, {@code int} Long (BigInteger when
 * wider than 64 bits), {@code float} Double, {@code str} String, {@code bytes} byte[], {@code tuple} an
 * unmodifiable List, {@code list} an ArrayList, {@code dict} a LinkedHashMap, a global a {@link Global}.
 */
public final class Unpickler {
    /** The deepest nesting a pickle may build; a state dict nests 5 deep, a training checkpoint wrapping one 6. */
    public static final int MAX_DEPTH = 1000;

    /** A Python global named by a pickle, such as {@code collections.OrderedDict}. It is never resolved. */
    public record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** What the reader of one kind of file does with globals, calls and persistent ids. */
    public interface Hooks {
        /** Whether the pickle may name {@code global}; any other global ends the read with an error. */
        boolean allows(Global global);

        /** The value of {@code callable(*args)} for an allowed global (opcode REDUCE). */
        Object call(Global callable, List<Object> args) throws FormatException;

        /** The object a persistent id stands for (opcode BINPERSID); torch uses it for tensor storages. */
        Object persistentLoad(Object pid) throws FormatException;
    }

    private final Path file;
    private final ByteBuffer in;
    private final Hooks hooks;
    /** How deep each value the current pickle built nests: 1 + the deepest it holds; atoms and empty containers are 0. */
    private final Map<Object, Integer> depths = new IdentityHashMap<>();

    /**
     * Reads pickles from {@code in}, starting at its position; each {@link #load} leaves the position just
     * after the pickle's STOP, so consecutive pickles (as in torch's legacy format) can be read in turn.
     */
    public Unpickler(Path file, ByteBuffer in, Hooks hooks) {
        this.file = file;
        this.in = in;
        this.hooks = hooks;
    }

    /** Runs one pickle to its STOP opcode and returns the value it leaves. */
    public Object load() throws FormatException {
        List<Object> stack = new ArrayList<>();
        List<Integer> marks = new ArrayList<>();
        Map<Long, Object> memo = new HashMap<>();
        depths.clear();
        int start = in.position();
        while (true) {
            if (!in.hasRemaining()) {
                throw error(in.position(), "pickle starting at byte " + start + " ends before its STOP opcode");
            }
            int at = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int protocol = u8(at);
                    if (protocol < 2 || protocol > 5) throw error(at, "pickle protocol " + protocol + ", expected 2 to 5");
                }
                case 0x95 -> take(at, 8); // FRAME: a length hint for buffered readers, not needed here
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw error(at, "STOP with " + stack.size() + " values on the stack, expected 1");
                    }
                    return stack.getFirst();
                }
                case '(' -> marks.add(stack.size()); // MARK
                case '0' -> pop(stack, at); // POP
                case '1' -> popMark(stack, marks, at); // POP_MARK
                case '2' -> stack.add(peek(stack, at)); // DUP
                case 'N' -> stack.add(null); // NONE
                case 0x88 -> stack.add(Boolean.TRUE); // NEWTRUE
                case 0x89 -> stack.add(Boolean.FALSE); // NEWFALSE
                case 'J' -> stack.add((long) take(at, 4).getInt()); // BININT
                case 'K' -> stack.add((long) u8(at)); // BININT1
                case 'M' -> stack.add((long) Short.toUnsignedInt(take(at, 2).getShort())); // BININT2
                case 0x8a -> stack.add(longValue(bytes(at, u8(at)))); // LONG1
                case 0x8b -> stack.add(longValue(bytes(at, length(at, take(at, 4).getInt())))); // LONG4
                case 'G' -> stack.add(Double.longBitsToDouble(Long.reverseBytes(take(at, 8).getLong()))); // BINFLOAT, big-endian
                case 'X', 'T' -> stack.add(new String(bytes(at, length(at, take(at, 4).getInt())), UTF_8)); // BINUNICODE, BINSTRING
                case 0x8c, 'U' -> stack.add(new String(bytes(at, u8(at)), UTF_8)); // SHORT_BINUNICODE, SHORT_BINSTRING
                case 0x8d -> stack.add(new String(bytes(at, length(at, take(at, 8).getLong())), UTF_8)); // BINUNICODE8
                case 'B' -> stack.add(bytes(at, length(at, take(at, 4).getInt()))); // BINBYTES
                case 'C' -> stack.add(bytes(at, u8(at))); // SHORT_BINBYTES
                case 0x8e -> stack.add(bytes(at, length(at, take(at, 8).getLong()))); // BINBYTES8
                case ')' -> stack.add(Collections.emptyList()); // EMPTY_TUPLE
                case 't' -> stack.add(tuple(popMark(stack, marks, at), at)); // TUPLE
                case 0x85, 0x86, 0x87 -> { // TUPLE1, TUPLE2, TUPLE3
                    int n = op - 0x84;
                    if (stack.size() < n) throw error(at, "TUPLE" + n + " needs " + n + " values on the stack");
                    List<Object> top = stack.subList(stack.size() - n, stack.size());
                    List<Object> items = new ArrayList<>(top);
                    top.clear();
                    stack.add(tuple(items, at));
                }
                case ']' -> stack.add(new ArrayList<>()); // EMPTY_LIST
                case 'l' -> { // LIST
                    List<Object> items = popMark(stack, marks, at);
                    stack.add(nest(new ArrayList<>(items), items, at));
                }
                case 'a' -> { // APPEND
                    Object value = pop(stack, at);
                    list(peek(stack, at), at).add(value);
                    nest(peek(stack, at), Collections.singletonList(value), at);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark(stack, marks, at);
                    list(peek(stack, at), at).addAll(items);
                    nest(peek(stack, at), items, at);
                }
                case '}' -> stack.add(new LinkedHashMap<>()); // EMPTY_DICT
                case 'd' -> { // DICT
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    List<Object> items = popMark(stack, marks, at);
                    putAll(dict, items, at);
                    stack.add(nest(dict, items, at));
                }
                case 's' -> { // SETITEM
                    Object value = pop(stack, at);
                    Object key = hashable(pop(stack, at), at);
                    dict(peek(stack, at), at).put(key, value);
                    nest(peek(stack, at), Arrays.asList(key, value), at);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark(stack, marks, at);
                    putAll(dict(peek(stack, at), at), items, at);
                    nest(peek(stack, at), items, at);
                }
                case 'c' -> stack.add(global(at, line(at), line(at))); // GLOBAL "module\nname\n"
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(stack, at);
                    Object module = pop(stack, at);
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw error(at, "STACK_GLOBAL needs two strings, found " + typeName(module) + " and " + typeName(name));
                    }
                    stack.add(global(at, m, n));
                }
                case 'R' -> { // REDUCE: callable(*args)
                    Object args = pop(stack, at);
                    Object callable = pop(stack, at);
                    if (!(callable instanceof Global g)) throw error(at, "REDUCE on " + typeName(callable) + ", expected a global");
                    if (!(args instanceof List<?> a)) throw error(at, "REDUCE with " + typeName(args) + " as arguments, expected a tuple");
                    @SuppressWarnings("unchecked")
                    List<Object> argList = (List<Object>) a;
                    // What a hook builds may hold its arguments, so it counts as one level deeper.
                    stack.add(nest(hooks.call(g, argList), argList, at));
                }
                case 'b' -> { // BUILD: sets an object's attributes
                    Object state = pop(stack, at);
                    Object target = peek(stack, at);
                    // A state dict carries a _metadata attribute (module versions) that a reader of tensors
                    // does not need; anything else would mean an object we do not model.
                    if (!(target instanceof Map<?, ?>) || !(state instanceof Map<?, ?> || state == null)) {
                        throw error(at, "BUILD on " + typeName(target) + " with " + typeName(state) + " is not supported");
                    }
                }
                case 'Q' -> { // BINPERSID
                    Object pid = pop(stack, at);
                    stack.add(nest(hooks.persistentLoad(pid), Collections.singletonList(pid), at));
                }
                case 'q' -> memo.put((long) u8(at), peek(stack, at)); // BINPUT
                case 'r' -> memo.put(Integer.toUnsignedLong(take(at, 4).getInt()), peek(stack, at)); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek(stack, at)); // MEMOIZE
                case 'h' -> stack.add(memoGet(memo, u8(at), at)); // BINGET
                case 'j' -> stack.add(memoGet(memo, Integer.toUnsignedLong(take(at, 4).getInt()), at)); // LONG_BINGET
                default -> throw error(at, String.format("unsupported pickle opcode 0x%02x", op)
                        + (op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "") + ": not a tensor checkpoint");
            }
        }
    }

    /** A short Python-like name of a value's type, for error messages. */
    public static String typeName(Object value) {
        return switch (value) {
            case null -> "None";
            case Boolean _ -> "bool";
            case Long _ -> "int";
            case BigInteger _ -> "int";
            case Double _ -> "float";
            case String _ -> "str";
            case byte[] _ -> "bytes";
            case ArrayList<?> _ -> "list";
            case List<?> _ -> "tuple";
            case Map<?, ?> _ -> "dict";
            case Global g -> "global " + g;
            default -> value.getClass().getSimpleName();
        };
    }

    private Global global(int at, String module, String name) throws FormatException {
        Global g = new Global(module, name);
        if (!hooks.allows(g)) {
            throw new FormatException(file, "refusing to load global " + g + ": not a tensor checkpoint");
        }
        return g;
    }

    private List<Object> tuple(List<Object> items, int at) throws FormatException {
        // Unmodifiable, so APPEND on a tuple is caught as the error it is; unlike List.copyOf it keeps None.
        List<Object> tuple = Collections.unmodifiableList(items);
        nest(tuple, items, at);
        return tuple;
    }

    /**
     * Records that {@code value} holds {@code parts}: it is one level deeper than the deepest of them.
     * A list or dict filled after it was itself put somewhere does not deepen what holds it (only recursive
     * structures do that, never a checkpoint); tuples, the values we recurse into, are immutable, so their
     * depth is exact.
     */
    private Object nest(Object value, List<Object> parts, int at) throws FormatException {
        if (parts.isEmpty()) return value;
        int depth = 0;
        for (Object p : parts) depth = Math.max(depth, depths.getOrDefault(p, 0));
        if (depth + 1 > MAX_DEPTH) {
            throw error(at, "values nested more than " + MAX_DEPTH + " deep: not a tensor checkpoint");
        }
        depths.merge(value, depth + 1, Math::max);
        return value;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object target, int at) throws FormatException {
        if (target instanceof ArrayList<?> l) return (List<Object>) l;
        throw error(at, "APPEND to " + typeName(target) + ", expected a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object target, int at) throws FormatException {
        if (target instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw error(at, "SETITEM on " + typeName(target) + ", expected a dict");
    }

    private void putAll(Map<Object, Object> dict, List<Object> items, int at) throws FormatException {
        if (items.size() % 2 != 0) throw error(at, "odd number of values (" + items.size() + ") for dict items");
        for (int i = 0; i < items.size(); i += 2) dict.put(hashable(items.get(i), at), items.get(i + 1));
    }

    /**
     * Checks a dict key as Python would: lists and dicts are unhashable. Besides matching Python, this keeps
     * a pickle from making a list that contains itself into a key, whose hash would never finish.
     */
    private Object hashable(Object key, int at) throws FormatException {
        if (key instanceof ArrayList<?> || key instanceof Map<?, ?>) throw error(at, "unhashable " + typeName(key) + " as a dict key");
        if (key instanceof List<?> tuple) {
            for (Object item : tuple) hashable(item, at);
        }
        return key;
    }

    private Object pop(List<Object> stack, int at) throws FormatException {
        if (stack.isEmpty()) throw error(at, "stack underflow");
        return stack.removeLast();
    }

    private Object peek(List<Object> stack, int at) throws FormatException {
        if (stack.isEmpty()) throw error(at, "stack underflow");
        return stack.getLast();
    }

    private List<Object> popMark(List<Object> stack, List<Integer> marks, int at) throws FormatException {
        if (marks.isEmpty()) throw error(at, "no MARK to pop to");
        int from = marks.removeLast();
        if (from > stack.size()) throw error(at, "MARK above the stack top");
        List<Object> top = stack.subList(from, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private Object memoGet(Map<Long, Object> memo, long key, int at) throws FormatException {
        if (!memo.containsKey(key)) throw error(at, "memo entry " + key + " is read before it is written");
        return memo.get(key);
    }

    private int u8(int at) throws FormatException {
        return Byte.toUnsignedInt(take(at, 1).get());
    }

    /** The next {@code n} bytes as a little-endian view, after checking they exist. */
    private ByteBuffer take(int at, int n) throws FormatException {
        if (in.remaining() < n) throw truncated(at);
        ByteBuffer view = in.slice(in.position(), n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        in.position(in.position() + n);
        return view;
    }

    private byte[] bytes(int at, int n) throws FormatException {
        byte[] b = new byte[n];
        take(at, n).get(b);
        return b;
    }

    // Checked before allocating, so a corrupt length cannot ask for gigabytes.
    private int length(int at, long n) throws FormatException {
        if (n < 0 || n > in.remaining()) throw truncated(at);
        return (int) n;
    }

    private String line(int at) throws FormatException {
        int from = in.position();
        for (int i = from; i < in.limit(); i++) {
            if (in.get(i) == '\n') {
                byte[] b = new byte[i - from];
                in.get(b);
                in.get(); // the newline
                return new String(b, UTF_8);
            }
        }
        throw truncated(at);
    }

    // Python ints in LONG1/LONG4 are little-endian two's complement.
    private static Object longValue(byte[] le) {
        if (le.length == 0) return 0L;
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        BigInteger value = new BigInteger(be);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private FormatException truncated(int at) {
        return error(at, "pickle is cut short (the file is truncated or corrupt)");
    }

    private FormatException error(int at, String message) {
        return new FormatException(file, "pickle byte " + at + ": " + message);
    }

    @Override
    public String toString() {
        return "Unpickler[" + file + " at byte " + in.position() + "]";
    }
}
