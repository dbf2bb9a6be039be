package dev.addernet.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.interop.Unpickler.Global;
import dev.addernet.io.FormatException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The unpickler on pickles written byte by byte: values, memo, and refusing anything that could run code. */
class UnpicklerTest {
    static final Path FILE = Path.of("hand.pkl");

    /** Allows only collections.OrderedDict and records calls as ("call", name, args). */
    static final Unpickler.Hooks HOOKS = new Unpickler.Hooks() {
        @Override
        public boolean allows(Global g) {
            return g.toString().equals("collections.OrderedDict");
        }

        @Override
        public Object call(Global g, List<Object> args) {
            return List.of("call", g.toString(), args);
        }

        @Override
        public Object persistentLoad(Object pid) {
            return List.of("pid", pid);
        }
    };

    static Object load(byte[] pickle) throws FormatException {
        return new Unpickler(FILE, ByteBuffer.wrap(pickle), HOOKS).load();
    }

    @Test
    void readsTheValuesTorchSaveWrites() throws Exception {
        byte[] pickle = new PickleBytes().proto()
                .op('}').op('q', 0).mark()
                .str("ints").mark().integer(7).integer(300).integer(-5).integer(1L << 40).op('t')
                .str("flags").op(0x88, 0x89, 'N').op(0x87)
                .str("tuple1").op(0x8c, 2, 'h', 'i').op(0x85) // SHORT_BINUNICODE in a TUPLE1
                .str("float").op('G').le(Long.reverseBytes(Double.doubleToLongBits(0.25)), 8)
                .str("list").op(']').op('q', 1).integer(1).op('a').mark().integer(2).integer(3).op('e')
                .str("again").op('h', 1) // BINGET of the memoised list
                .str("big").op(0x8a, 10).bytes(TorchFiles.hexLittleEndian("1950a86a20f9469cfc6c"))
                .op('u').stop().toByteArray();
        Map<?, ?> dict = (Map<?, ?>) load(pickle);
        assertThat(dict.get("ints")).isEqualTo(List.of(7L, 300L, -5L, 1L << 40));
        assertThat(dict.get("flags")).isEqualTo(Arrays.asList(true, false, null));
        assertThat(dict.get("tuple1")).isEqualTo(List.of("hi"));
        assertThat(dict.get("float")).isEqualTo(0.25);
        assertThat(dict.get("list")).isEqualTo(List.of(1L, 2L, 3L)).isSameAs(dict.get("again"));
        assertThat(dict.get("big")).isEqualTo(new BigInteger("1950a86a20f9469cfc6c", 16));
    }

    @Test
    void reduceAndPersistentIdGoToTheHooksOnly() throws Exception {
        byte[] pickle = new PickleBytes().proto()
                .mark().global("collections", "OrderedDict").op(')').op('R')
                .str("key").op('Q').op('t').stop().toByteArray();
        List<?> result = (List<?>) load(pickle);
        assertThat(result.get(0)).isEqualTo(List.of("call", "collections.OrderedDict", List.of()));
        assertThat(result.get(1)).isEqualTo(List.of("pid", "key"));
    }

    @Test
    void refusesAGlobalOutsideTheAllowList() {
        // The classic exploit: os.system('echo pwned') via GLOBAL + REDUCE.
        byte[] pickle = new PickleBytes().proto().global("os", "system").str("echo pwned").op(0x85).op('R').stop().toByteArray();
        assertThatThrownBy(() -> load(pickle)).isInstanceOf(FormatException.class)
                .hasMessage("hand.pkl: refusing to load global os.system: not a tensor checkpoint");
        // The same through STACK_GLOBAL (protocol 4).
        byte[] stacked = new PickleBytes().proto().str("builtins").str("eval").op(0x93).stop().toByteArray();
        assertThatThrownBy(() -> load(stacked)).hasMessageContaining("refusing to load global builtins.eval");
    }

    @Test
    void refusesOpcodesThatBuildArbitraryObjects() {
        // INST ('i') creates an instance of a class named inline; NEWOBJ (0x81) calls cls.__new__.
        byte[] inst = new PickleBytes().proto().mark().op('i').bytes("os\nsystem\n".getBytes()).stop().toByteArray();
        assertThatThrownBy(() -> load(inst)).hasMessageContaining("unsupported pickle opcode 0x69 ('i')");
        byte[] newobj = new PickleBytes().proto().global("collections", "OrderedDict").op(')').op(0x81).stop().toByteArray();
        assertThatThrownBy(() -> load(newobj)).hasMessageContaining("unsupported pickle opcode 0x81");
    }

    @Test
    void reportsBrokenPickles() {
        assertThatThrownBy(() -> load(new PickleBytes().proto().str("abc").toByteArray()))
                .hasMessageContaining("ends before its STOP opcode");
        byte[] shortString = new PickleBytes().proto().op('X').le(1000, 4).bytes("abc".getBytes()).toByteArray();
        assertThatThrownBy(() -> load(shortString)).hasMessageContaining("cut short");
        assertThatThrownBy(() -> load(new PickleBytes().proto().op('h', 3).stop().toByteArray()))
                .hasMessageContaining("memo entry 3 is read before it is written");
        assertThatThrownBy(() -> load(new PickleBytes().proto().op('t').stop().toByteArray())).hasMessageContaining("no MARK");
        assertThatThrownBy(() -> load(new PickleBytes().proto().integer(1).op('a').stop().toByteArray()))
                .hasMessageContaining("stack underflow");
        assertThatThrownBy(() -> load(new PickleBytes().proto().op(')').integer(1).op('a').stop().toByteArray()))
                .hasMessageContaining("APPEND to tuple, expected a list");
        assertThatThrownBy(() -> load(new PickleBytes().op(0x80, 9).stop().toByteArray())).hasMessageContaining("pickle protocol 9");
        // A list that contains itself, used as a dict key: Python refuses it, and its hash would never end.
        byte[] cyclic = new PickleBytes().proto().op('}').op(']').op('q', 0).op('h', 0).op('a').integer(1).op('s').stop().toByteArray();
        assertThatThrownBy(() -> load(cyclic)).hasMessageContaining("unhashable list as a dict key");
    }

    @Test
    void refusesValuesNestedTooDeep() throws Exception {
        // A tuple nested 100,000 deep as a dict key: checking (and hashing) the key recurses once per level.
        PickleBytes deepKey = new PickleBytes().proto().op('}').integer(1);
        for (int i = 0; i < 100_000; i++) deepKey.op(0x85); // TUPLE1
        byte[] key = deepKey.integer(0).op('s').stop().toByteArray();
        assertThatThrownBy(() -> load(key)).isInstanceOf(FormatException.class)
                .hasMessageStartingWith("hand.pkl: pickle byte ").hasMessageContaining("nested more than 1000 deep");
        // Lists nested 100,000 deep without a MARK: the stack stays flat while the value deepens.
        PickleBytes deepList = new PickleBytes().proto();
        for (int i = 0; i < 100_000; i++) deepList.op(']');
        for (int i = 1; i < 100_000; i++) deepList.op('a');
        byte[] lists = deepList.stop().toByteArray();
        assertThatThrownBy(() -> load(lists)).isInstanceOf(FormatException.class).hasMessageContaining("nested more than 1000 deep");
        // At the limit: an int in 1000 tuples is 1000 deep, and loads.
        PickleBytes justDeepEnough = new PickleBytes().proto().integer(1);
        for (int i = 0; i < Unpickler.MAX_DEPTH; i++) justDeepEnough.op(0x85);
        assertThat(load(justDeepEnough.stop().toByteArray())).isInstanceOf(List.class);
    }

    @Test
    void readsConsecutivePicklesFromOneBuffer() throws Exception {
        byte[] two = new PickleBytes().proto().integer(1).stop().proto().str("two").stop().toByteArray();
        Unpickler u = new Unpickler(FILE, ByteBuffer.wrap(two), HOOKS);
        List<Object> values = new ArrayList<>();
        values.add(u.load());
        values.add(u.load());
        assertThat(values).containsExactly(1L, "two");
    }
}
