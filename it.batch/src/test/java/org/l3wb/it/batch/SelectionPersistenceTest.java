package org.l3wb.it.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.it.batch.WorkbenchProcess.Result;

/** Selections are Config Admin configuration: what one run selects, the next run (same felix.cm.dir) has. */
class SelectionPersistenceTest {
    @TempDir
    Path tmp;

    @Test
    void selectionsMadeInOneRunHoldInTheNext() throws Exception {
        Path configDir = tmp.resolve("config");
        WorkbenchProcess workbench = new WorkbenchProcess(configDir, tmp);

        Result select = workbench.run("ipc:use ports", "hw:use i486dx33", "ipc:scheduler strict",
                "ipc:switches --format csv direct=off vtcb=off");
        assertEquals(0, select.exitStatus(), select::toString);
        assertEquals(List.of(), select.diagnostics(), select::toString);
        assertEquals(List.of(
                "mechanism ports selected",
                "processor i486dx33 selected (33 MHz)",
                "scheduler strict selected",
                "switch,state,optimisation",
                "registers,on,short messages in registers",
                "direct,off,direct transfer",
                "lazy,off,lazy scheduling",
                "segments,on,segment registers",
                "replywait,on,reply and wait",
                "condensed,on,condensed tables",
                "vtcb,off,virtual tcb"), select.stdout());
        // Felix Config Admin honours felix.cm.dir: one file per PID, its dots as directories
        Path stored = configDir.resolve("org/l3wb/workbench.config");
        assertTrue(Files.isRegularFile(stored), "no " + stored);
        assertTrue(Files.readString(stored).contains("mechanism=\"ports\""), Files.readString(stored));

        Result restarted = workbench.run("hw:processors --format csv", "ipc:mechanisms --format csv",
                "ipc:schedulers --format csv", "ipc:switches --format csv", "lab:pingpong --rounds 10 --format csv");
        assertEquals(0, restarted.exitStatus(), restarted::toString);
        assertEquals(List.of(), restarted.diagnostics(), restarted::toString);
        List<String> out = restarted.stdout();
        assertEquals(List.of("i486dx33"), CsvTables.selected(out, "selected,name,clock_mhz,description"));
        List<String> mechanismsThenSchedulers = out.subList(out.indexOf("selected,name"), out.size());
        assertEquals(List.of("ports"), CsvTables.selected(mechanismsThenSchedulers, "selected,name"));
        List<String> schedulers = mechanismsThenSchedulers.subList(1, mechanismsThenSchedulers.size());
        assertEquals(List.of("strict"), CsvTables.selected(schedulers, "selected,name"));
        Map<String, String> expected = new LinkedHashMap<>();
        for (String s : List.of("registers", "direct", "lazy", "segments", "replywait", "condensed", "vtcb")) {
            expected.put(s, List.of("direct", "lazy", "vtcb").contains(s) ? "off" : "on");
        }
        assertEquals(expected, CsvTables.switches(out));
        // and an experiment runs with them
        List<List<String>> pingpong = CsvTables.rows(out, "mechanism,scheduler,processor,size,rounds,cold,switches,"
                + "cycles_per_ipc,us_per_ipc,tlb_misses_per_ipc,cache_misses_per_ipc,footprint_bytes");
        assertEquals(1, pingpong.size(), restarted::toString);
        assertEquals(List.of("ports", "strict", "i486dx33", "8", "10", "false",
                "registers=on direct=off lazy=off segments=on replywait=on condensed=on vtcb=off"),
                pingpong.get(0).subList(0, 7));
    }
}
