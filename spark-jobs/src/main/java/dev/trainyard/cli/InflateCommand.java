package dev.trainyard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.zoo.besnet.BesNetInflation;
import dev.trainyard.zoo.besnet.BesNetSpec;
import dev.trainyard.zoo.besnet.ResNetSources;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "inflate", mixinStandardHelpOptions = true,
        description = {"Inflate a 2D ResNet into BesNet weights: 1x1 kernels become 3x1x1 (copied to each tap, divided by 3),",
                "3x3 kernels, batch normalisation and the classifier copy unchanged. Sources: a DL4J model zip (zoo layer",
                "names), a Keras HDF5 ResNet50 (.h5, imported by DL4J), or 'imagenet' (downloads DL4J's zoo ResNet50).",
                "Writes OUTPUT (a BesNet model zip for 'train besnet --init') and OUTPUT-report.json listing every 2D",
                "parameter used, unused or mismatched. Exit code 1 when anything but a resized classifier did not map."})
final class InflateCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "resnet50.zip|model.h5|imagenet")
    String from;

    @Option(names = {"--output", "-o"}, required = true, paramLabel = "inflated.zip")
    String output;

    @Option(names = "--classes", defaultValue = "0", description = "Classifier outputs; 0 = the source's. Another count leaves the classifier newly initialised.")
    int classes;

    @Option(names = "--frames", defaultValue = "8", description = "Nominal clip length (any length runs). Default: ${DEFAULT-VALUE}.")
    int frames;

    @Option(names = "--size", defaultValue = "224", description = "Frame size the network is built for. Default: ${DEFAULT-VALUE}.")
    int size;

    @Mixin
    SeedOption seed;

    @Mixin
    BesNetOptions net = new BesNetOptions();

    @Override
    public Integer call() throws Exception {
        ComputationGraph source = ResNetSources.load(from);
        int sourceClasses = BesNetInflation.sourceClasses(source);
        int k = classes > 0 ? classes : sourceClasses;
        BesNetSpec spec = BesNetInflation.specFor(source, net.spec(k, frames, size, size, seed.value()));
        BesNetInflation.Result r = BesNetInflation.inflate(source, spec);
        Path out = Path.of(output);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        ModelSerializer.writeModel(r.network(), out.toFile(), true);
        ObjectNode report = Json.object();
        report.put("source", from);
        report.put("output", output);
        report.set("spec", Json.MAPPER.valueToTree(spec));
        report.put("source_parameters", source.numParams());
        report.put("besnet_parameters", r.network().numParams());
        report.put("complete", r.report().complete());
        report.set("used", Json.MAPPER.valueToTree(r.report().used().stream().map(Object::toString).toList()));
        report.set("unused", Json.MAPPER.valueToTree(r.report().unused()));
        report.set("mismatched", Json.MAPPER.valueToTree(r.report().mismatched()));
        report.set("missing", Json.MAPPER.valueToTree(r.report().missing()));
        String reportPath = (output.endsWith(".zip") ? output.substring(0, output.length() - 4) : output) + "-report.json";
        Files.writeString(Path.of(reportPath), Json.write(report));
        System.out.printf("inflated %s -> %s: %d parameters used, %d unused, %d mismatched, %d without source; report %s%n",
                from, output, r.report().used().size(), r.report().unused().size(), r.report().mismatched().size(),
                r.report().missing().size(), reportPath);
        boolean onlyClassifierResized = r.report().unused().stream().allMatch(p -> p.startsWith("output_") || p.startsWith("fc1000_"))
                && r.report().mismatched().stream().allMatch(p -> p.startsWith("output."))
                && r.report().missing().isEmpty();
        return r.report().complete() || (k != sourceClasses && onlyClassifierResized) ? 0 : 1;
    }
}
