package org.l3wb.lab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.ipc.Lab;
import org.l3wb.lab.ipc.PingPong;
import org.l3wb.lab.report.Json;

/** {@code lab:trace}'s options: each bad one fails with one line naming it, before anything runs; the formats. */
class TraceCommandTest {
    private static final PingPong.Config L3 = new PingPong.Config(StandardModels.i486dx50(), "l3", "lazy",
            Switches.ALL_ON, 8, 1, false);

    @ParameterizedTest(name = "--ipc {0} --rounds ''{1}'' --format {2}")
    @CsvSource(delimiter = '|', value = {
        "both  | '' | pdf    | unknown --format 'pdf': expected text, csv, json or chrome",
        "both  | '' | ''     | unknown --format '': expected text, csv, json or chrome",
        "calls | '' | text   | unknown --ipc 'calls': expected call, reply or both",
        "''    | '' | text   | unknown --ipc '': expected call, reply or both",
        "both  | 3  | text   | --rounds applies to --format chrome only (text, csv and json show one round trip)",
        "both  | 0  | chrome | --rounds must be 1..100 for a trace, got 0",
        "both  | 101 | chrome | --rounds must be 1..100 for a trace, got 101",
        "both  | x  | chrome | --rounds must be a whole number 1..100, got 'x'",
        "call  | 2  | chrome | --ipc call does not apply to --format chrome: its timeline shows every IPC of --rounds "
            + "round trips"})
    void aBadOptionFailsWithOneLineNamingIt(String ipc, String rounds, String format, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TraceCommand.run(Lab.MACHINES, Lab.KERNEL, L3, ipc, rounds, format));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aSizeOrMechanismTheRunCannotTakeFailsWithOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PingPong.Config(StandardModels.i486dx50(), "dash", "lazy", Switches.ALL_ON, 512, 1, false));
        assertTrue(e.getMessage().startsWith("IPC mechanism 'dash' carries pages and messages of up to 8 bytes"));
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> TraceCommand.run(Lab.MACHINES,
                Lab.KERNEL, new PingPong.Config(StandardModels.i486dx50(), "chorus", "lazy", Switches.ALL_ON, 8, 1,
                        false), "both", "", "text"));
        // the kernel falls back to another mechanism (which one is the kernel's rule): nothing is traced
        assertTrue(missing.getMessage().matches("IPC mechanism 'chorus' is not installed: the kernel ran '\\w+' "
                + "instead; nothing traced"), missing.getMessage());
    }

    @Test
    void textShowsTheCallAndTheReplyWithTotals() {
        String text = TraceCommand.run(Lab.MACHINES, Lab.KERNEL, L3, "both", "", "text");
        assertTrue(text.startsWith("one warm call, 8 bytes, l3, lazy, i486dx50: A (client) calls B (server)\n"), text);
        assertTrue(text.contains("\none warm reply, 8 bytes"), text);
        assertTrue(text.contains("subtotal") && text.contains("\ntotal "), text);
        assertTrue(text.contains("TCB of B") && text.contains("kernel stack of A") && text.contains("user code of A"),
                text);
        String call = TraceCommand.run(Lab.MACHINES, Lab.KERNEL, L3, "call", "", "text");
        assertFalse(call.contains("reply"), call);
    }

    @Test
    void aLongMessageIsCopiedFromTheMessageIntoTheReceiveBufferThroughTheWindow() {
        PingPong.Config c = new PingPong.Config(StandardModels.i486dx50(), "l3", "lazy", Switches.ALL_ON, 512, 1, false);
        String call = TraceCommand.run(Lab.MACHINES, Lab.KERNEL, c, "call", "", "text");
        assertTrue(call.contains("rep movsd [EDI], [ESI]"), call);
        assertTrue(call.contains("message of A") && call.contains("receive buffer of B (window"), call);
        assertTrue(call.contains("pdir of B") && call.contains("own pdir"), call);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonAndCsvCarryTheSameInstructions() {
        java.util.List<Object> json = (java.util.List<Object>) Json.parse(TraceCommand.run(Lab.MACHINES, Lab.KERNEL,
                L3, "reply", "", "json"));
        assertEquals(1, json.size());
        java.util.Map<String, Object> reply = (java.util.Map<String, Object>) json.get(0);
        assertEquals("reply", reply.get("ipc"));
        int instructions = ((Number) reply.get("instructions")).intValue();
        java.util.List<Object> trace = (java.util.List<Object>) reply.get("trace");
        assertEquals(instructions, trace.size());
        java.util.Map<String, Object> first = (java.util.Map<String, Object>) trace.get(0);
        // the server's first user instruction after the call's IRET: its fetch walks the TLB (CR3 was loaded)
        assertEquals(java.util.List.of("fetch 00081765 user code of B: TLB miss 9 cycles, cache hit"),
                first.get("accesses"));
        String csv = TraceCommand.run(Lab.MACHINES, Lab.KERNEL, L3, "reply", "", "csv");
        assertEquals(instructions + 1, csv.split("\n").length);
        assertTrue(csv.startsWith("ipc,step,source,address,mnemonic,operands,start_cycle,cycles,"), csv);
    }
}
