package dev.trainyard.cli;

import dev.trainyard.train.BuildInfo;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"trainyard " + BuildInfo.get("trainyard.version"),
                "DL4J " + BuildInfo.get("dl4j.version") + " (Spark module " + BuildInfo.get("dl4j.spark.version") + "), Spark "
                        + BuildInfo.get("spark.version") + ", Java " + System.getProperty("java.version")};
    }
}
