package dev.addernet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The kernel tests run twice (pom.xml): with the machine's widest vectors and with -XX:MaxVectorSize=32.
 * This checks that the second run really has at most 8 lanes, so the 8-lane tile shapes and Lp tables
 * are what it tests.
 */
class LaneCountTest {
    @Test
    void maxVectorSizeBoundsTheKernelsLanes() {
        Matcher flag = Pattern.compile("-XX:MaxVectorSize=(\\d+)")
                .matcher(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        int maxBytes = flag.find() ? Integer.parseInt(flag.group(1)) : Integer.MAX_VALUE;
        assertThat(Microkernels.L * 4).as("vector bytes with -XX:MaxVectorSize=%s", maxBytes).isLessThanOrEqualTo(maxBytes);
        assertThat(Microkernels.L).as("lanes (the Lp tiles need 8)").isGreaterThanOrEqualTo(8);
        System.out.println("kernels run with " + Microkernels.L + " float lanes");
    }
}
