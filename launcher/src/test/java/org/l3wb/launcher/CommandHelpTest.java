package org.l3wb.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.Test;
import org.l3wb.launcher.CommandHelp.Command;

/** The help text's command list: grouped by scope, sorted, one aligned line each (issue 14, item 1). */
class CommandHelpTest {

    @Test
    void commandsAreGroupedByScopeOneAlignedLineEach() {
        String list = CommandHelp.list(List.of(
                new Command("lab", "pingpong", "the paper's ping-pong"),
                new Command("hw", "use", "select a processor"),
                new Command("lab", "appendix", "tables 3, 4 and 5"),
                new Command("plug", "x", "")));
        assertEquals(String.join("\n",
                "commands (help COMMAND for its options):",
                "hw",
                "  hw:use        select a processor",
                "lab",
                "  lab:appendix  tables 3, 4 and 5",
                "  lab:pingpong  the paper's ping-pong",
                "plug",
                "  plug:x",
                ""), list);
    }

    @Test
    void aFunctionListedTwiceKeepsTheDescriptionItHas() {
        String list = CommandHelp.list(List.of(new Command("wb", "help", ""), new Command("wb", "help", "usage")));
        assertTrue(list.contains("  wb:help  usage\n"), list);
    }

    /** A command class as a plugin would write it. */
    public static class Sample {
        @Descriptor("first line\nsecond line")
        public String run(int n) {
            return "";
        }

        public String plain() {
            return "";
        }
    }

    @Test
    void theDescriptionIsTheFirstLineOfTheMethodsDescriptor() {
        assertEquals("first line", CommandHelp.describe(Sample.class, "run"));
        assertNull(CommandHelp.describe(Sample.class, "plain"), "no descriptor: no text");
        assertNull(CommandHelp.describe(Sample.class, "missing"));
    }

    @Test
    void helpAloneIsTheUsageAnythingElseRuns() {
        assertTrue(Activator.helpAsked(new String[] {"--help"}));
        assertTrue(Activator.helpAsked(new String[] {"-h"}));
        assertFalse(Activator.helpAsked(new String[] {"-h", "hw:processors"}));
        assertFalse(Activator.helpAsked(new String[] {"hw:processors"}));
    }
}
