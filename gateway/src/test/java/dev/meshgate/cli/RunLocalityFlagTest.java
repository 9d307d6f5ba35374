package dev.meshgate.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code meshgate run --locality REGION/ZONE/SUBZONE}. */
class RunLocalityFlagTest {

    @TempDir
    Path dir;

    private static RunCommand parse(String... args) {
        CommandLine cl = Main.commandLine();
        cl.parseArgs(args);
        return cl.getSubcommands().get("run").getCommand();
    }

    @Test
    void localityParsesIntoTheGatewayOptionsAndDefaultsToNone() {
        assertEquals("us-east/zone1/sub1",
                parse("run", "-c", "x", "--locality", "us-east/zone1/sub1").gateway.toOptions().locality());
        assertEquals("us-east", parse("run", "-c", "x", "--locality", "us-east").gateway.toOptions().locality());
        assertEquals("", parse("run", "-c", "x").gateway.toOptions().locality());
        for (String bad : new String[] {"us-east/*", "a/b/c/d", "/zone", "us-east//sub"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    parse("run", "-c", "x", "--locality", bad).gateway::toOptions, bad);
            assertTrue(e.getMessage().startsWith("--locality"), e.getMessage());
        }
    }

    @Test
    void aMalformedLocalityIsAUsageError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("run", "-c", dir.toString(), "--locality", "us-east/*");
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("--locality"), err.toString());
        StringWriter help = new StringWriter();
        CommandLine h = Main.commandLine();
        h.setOut(new PrintWriter(help, true));
        h.execute("run", "--help");
        assertTrue(help.toString().contains("--locality=REGION/ZONE/SUBZONE"), help.toString());
    }
}
