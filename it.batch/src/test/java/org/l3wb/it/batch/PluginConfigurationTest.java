package org.l3wb.it.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.it.batch.WorkbenchProcess.Result;

/**
 * A {@code .cfg} file in {@code plugins/} configures the workbench before the first command of the very
 * run that finds it (FileInstall hands it to Config Admin while the framework starts; batch mode waits
 * for that), and commands change the configuration without writing into the file.
 */
class PluginConfigurationTest {
    @TempDir
    Path tmp;

    @Test
    void aSelectionFileInPluginsHoldsFromTheFirstCommand() throws Exception {
        WorkbenchProcess workbench = new WorkbenchProcess(tmp.resolve("config"), tmp);
        String file = "processor=i486dx33\nmechanism=ports\nscheduler=strict\nswitches.off=vtcb\n";
        Path cfg = Files.writeString(tmp.resolve("plugins/org.l3wb.workbench.cfg"), file);

        Result first = workbench.run("hw:processors --format csv", "ipc:mechanisms --format csv",
                "ipc:switches --format csv");
        assertEquals(0, first.exitStatus(), first::toString);
        assertEquals(List.of(), first.diagnostics(), first::toString);
        assertEquals(List.of("i486dx33"), CsvTables.selected(first.stdout(), "selected,name,clock_mhz,description"),
                first::toString);
        assertEquals(List.of("ports"), CsvTables.selected(first.stdout(), "selected,name"), first::toString);
        assertEquals("off", CsvTables.switches(first.stdout()).get("vtcb"), first::toString);
        assertEquals("off", CsvTables.switches(first.stdout()).get("lazy"), "scheduler=strict: " + first);
        assertEquals("on", CsvTables.switches(first.stdout()).get("direct"), first::toString);

        Result change = workbench.run("ipc:use l3");
        assertEquals(0, change.exitStatus(), change::toString);
        assertEquals(file, Files.readString(cfg), "the command leaves the user's file alone");
    }
}
