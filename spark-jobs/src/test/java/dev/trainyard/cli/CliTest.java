package dev.trainyard.cli;

import dev.trainyard.prep.video.FrameSampler;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "prep", "prep pairs", "prep video", "prep images", "generate pairs", "generate video", "train", "train siamese", "train ensemble", "attack", "attack fgsm", "evaluate", "demo",
            "train besnet", "inflate", "predict"})
    void everyCommandHasHelp(String command) {
        StringWriter out = new StringWriter();
        CommandLine cli = TrainyardCli.commandLine();
        cli.setOut(new PrintWriter(out));
        String[] args = (command + " --help").trim().split(" ");
        assertEquals(0, cli.execute(args));
        assertTrue(out.toString().startsWith("Usage: trainyard"), out.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"prep pairs --input a.tsv --format csv --output o", "train siamese --data d --output o --workers 0",
            "prep pairs --input a.tsv --format quora --output o --split 0.5,0.5",
            "train siamese --data d --output o --norm sideways", "prep video --annotations a --root r --classes c --output o --sampling random",
            "prep video --annotations a --root r --classes c --output o --size big", "generate video --output o --size 65",
            "prep images --images a --images b --labels c --output o",
            "train ensemble --data d --output o --sampling random", "train ensemble --data d --output o --members 0",
            "attack fgsm --model m --data d --epsilon 0.1 --target all --output o", "attack fgsm --model m --data d --epsilon 2 --output o",
            "attack fgsm --model m --data d --epsilon 0.1 --target ensemble:0 --output o", "attack fgsm --model m --data d --epsilon 0.1 --target member:-1 --output o",
            "train besnet --data d --output o --depth 26", "train besnet --data d --output o --dilations 0,2",
            "train besnet --data d --output o --order sideways", "inflate --from nowhere.zip --output o.zip",
            "predict --model m --input i --output o --top-k 0", "predict --model m --input i --output o --format csv"})
    void badOptionsExitWithCode2AndSayWhy(String command) {
        StringWriter err = new StringWriter();
        CommandLine cli = TrainyardCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute(command.split(" ")));
        assertTrue(err.toString().startsWith("trainyard "), err.toString());
    }

    @Test
    void enumOptionsTakeKebabCaseAnyCaseAndNameTheChoicesWhenWrong() {
        CommandLine.ParseResult video = TrainyardCli.commandLine().parseArgs("prep", "video", "--annotations", "a", "--root", "r",
                "--classes", "c", "--output", "o", "--start", "Center");
        PrepCommand.Video cmd = (PrepCommand.Video) video.subcommand().subcommand().commandSpec().userObject();
        assertEquals(FrameSampler.Start.CENTRE, cmd.start, "US spelling and any case");
        CommandLine.ParseResult siamese = TrainyardCli.commandLine().parseArgs("train", "siamese", "--data", "d", "--output", "o",
                "--norm", "AFTER-relu");
        TrainCommand.Siamese train = (TrainCommand.Siamese) siamese.subcommand().subcommand().commandSpec().userObject();
        assertEquals(SiameseSpec.Norm.AFTER_RELU, train.norm);
        assertEquals(SiameseSpec.Updater.ADAM, train.updater, "defaults go through the same converter");

        StringWriter err = new StringWriter();
        CommandLine cli = TrainyardCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("train", "siamese", "--data", "d", "--output", "o", "--norm", "sideways"));
        assertTrue(err.toString().contains("expected one of [before-relu, after-relu, none, selu]"), err.toString());
    }
}
