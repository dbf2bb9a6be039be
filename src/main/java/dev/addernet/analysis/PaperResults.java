package dev.addernet.analysis;

import java.util.List;
import java.util.Optional;

/**
 * The papers' test accuracies for the configurations this project trains, for {@code report --paper}.
 * Only numbers printed in the papers' text or tables; a configuration absent here (Fashion-MNIST, a
 * ResNet on a dataset the papers did not use) has none. The CIFAR-10 JPEG copy is matched to CIFAR-10's
 * number, which was measured on the original test images (the report marks it).
 */
public final class PaperResults {
    /** A paper's number: which model, op, method and dataset, the accuracy (a fraction), where it is printed. */
    public record Entry(String model, String op, String method, String dataset, double testAcc, String source) {}

    private static final String UNI_52 = "Universal AdderNets Sec. 5.2";
    private static final String UNI_T2 = "Universal AdderNets Table 2";
    private static final String CVPR_T2 = "AdderNet (CVPR 2020) Table 2";
    private static final String PKKD_T1 = "PKKD Table 1";

    static final List<Entry> ENTRIES = List.of(
            new Entry("lenet5", "conv", "plain", "mnist", 0.994, UNI_52),
            new Entry("lenet5", "adder", "plain", "mnist", 0.994, UNI_52),
            // ResNet-20's CNN is 92.25% in the CVPR paper's Table 2, 92.93% in the journal's and PKKD's: the journal's is used
            new Entry("resnet20", "conv", "plain", "cifar10", 0.9293, UNI_T2),
            new Entry("resnet20", "adder", "plain", "cifar10", 0.9184, UNI_T2 + " (l1-AddNN); " + CVPR_T2),
            new Entry("resnet20", "adder", "lp", "cifar10", 0.9231, UNI_T2 + " (l1-AddNN v2) and Sec. 5.3"),
            new Entry("resnet20", "binary", "plain", "cifar10", 0.8487, UNI_T2),
            new Entry("resnet20", "adder", "pkkd", "cifar10", 0.9296, PKKD_T1),
            new Entry("resnet20", "conv", "plain", "cifar100", 0.6875, UNI_T2),
            new Entry("resnet20", "adder", "plain", "cifar100", 0.6760, UNI_T2 + " (l1-AddNN)"),
            new Entry("resnet20", "adder", "lp", "cifar100", 0.6781, UNI_T2 + " (l1-AddNN v2) and Sec. 5.3"),
            new Entry("resnet20", "binary", "plain", "cifar100", 0.5414, UNI_T2),
            new Entry("resnet20", "adder", "pkkd", "cifar100", 0.6993, PKKD_T1),
            new Entry("resnet32", "conv", "plain", "cifar10", 0.9359, PKKD_T1),
            new Entry("resnet32", "adder", "plain", "cifar10", 0.9301, PKKD_T1),
            new Entry("resnet32", "binary", "plain", "cifar10", 0.8674, PKKD_T1),
            new Entry("vgg-small", "conv", "plain", "cifar10", 0.9425, PKKD_T1),
            new Entry("vgg-small", "adder", "plain", "cifar10", 0.9372, PKKD_T1),
            new Entry("vgg-small", "binary", "plain", "cifar10", 0.8980, PKKD_T1),
            new Entry("vgg-small", "adder", "pkkd", "cifar10", 0.9503, PKKD_T1));

    private PaperResults() {}

    /** The number for this configuration; the CIFAR-10 JPEG copy takes CIFAR-10's. */
    public static Optional<Entry> find(String model, String op, String method, String dataset) {
        String d = "cifar10-jpeg".equals(dataset) ? "cifar10" : dataset;
        return ENTRIES.stream().filter(e -> e.model.equals(model) && e.op.equals(op) && e.method.equals(method) && e.dataset.equals(d))
                .findFirst();
    }
}
